import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES } from '../../src/rest/routes.js';
import { schema } from '../../src/schema/index.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { call, lead } from '../support/fixtures.js';
import { openApiChecker } from '../support/openapi.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { restClient, type RestAnswer } from '../support/rest.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
let client: ReturnType<typeof restClient>;
let rest: ReturnType<typeof restClient>['rest'];
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE);
  client = restClient(kit.url.replace('/graphql', ''), await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] }));
  rest = client.rest;
});
afterAll(() => kit.close());

const REPORTS = '/api/autocall/campaigns/5/reports';
const JUNE = 'from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z';
const JUNE_ARGS = 'from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z"';

/** The test's own translation of a GraphQL answer into the REST document's keys. */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(inner)]));
}

async function graphqlReport(selection: string, id = '5') {
  const data = await kit.data(`{ campaign(id: "${id}") { ${selection} } }`);
  return Object.values(data.campaign as object)[0];
}

function expectError(answer: RestAnswer, status: number, code: string, parameter?: string) {
  expect({ status: answer.status, code: answer.body?.error?.code, parameter: answer.body?.error?.parameter }, JSON.stringify(answer.body)).toEqual({
    status,
    code,
    parameter,
  });
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body.error.message).toEqual(expect.any(String));
}

describe('GET /api/autocall/campaigns/{id}/reports/kpis', () => {
  it('answers the document\'s keys with the GraphQL numbers', async () => {
    const { status, body, headers } = await rest(`${REPORTS}/kpis?${JUNE}`);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toContain('private');
    expect({ ...body.data, computed_at: undefined }).toEqual({
      total_leads: 5,
      dialed: 10,
      answered: 6,
      no_answer: 1,
      busy: 1,
      failed: 1,
      abandoned: 1,
      answer_rate_pct: '60.00',
      avg_call_duration_sec: 41,
      total_talk_time_sec: 248,
      dtmf_distribution: { '1': 3, '2': 1, '9': 1, no_input: 1 },
      transfer_to_queue_count: 2,
      transfer_success_rate_pct: '66.67',
      computed_at: undefined,
    });
    expect(body.data.computed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    const kpis = await graphqlReport(`kpis(${JUNE_ARGS}) {
      totalLeads dialed answered noAnswer busy failed abandoned answerRatePct avgCallDurationSec totalTalkTimeSec
      transferToQueueCount transferSuccessRatePct dtmfDistribution { key count } }`);
    const { dtmf_distribution, computed_at, ...numbers } = body.data;
    expect(numbers).toEqual(snakeKeys({ ...kpis, dtmfDistribution: undefined }));
    expect(Object.entries(dtmf_distribution).sort()).toEqual(kpis.dtmfDistribution.map(({ key, count }: { key: string; count: number }) => [key, count]).sort());
  });

  it('defaults the window to the campaign start and now', async () => {
    const { body } = await rest(`${REPORTS}/kpis`);
    expect(body.data).toMatchObject({ total_leads: 6, dialed: 10 });
  });

  it('reads from and to without an offset in the timezone parameter', async () => {
    // From June 2 to June 3 in New York is 04:00Z June 2 to 04:00Z June 3: C-5 and C-6, both answered.
    const { body } = await rest(`${REPORTS}/kpis?from=2026-06-02&to=2026-06-03&timezone=America/New_York`);
    expect(body.data).toMatchObject({ dialed: 2, answered: 2 });
    // In Hồ Chí Minh City (the default) it is 17:00Z June 1 to 17:00Z June 2: C-3 answered, C-4 busy.
    const local = await rest(`${REPORTS}/kpis?from=2026-06-02&to=2026-06-03`);
    expect(local.body.data).toMatchObject({ dialed: 2, answered: 1 });
  });

  it('names the parameter at fault', async () => {
    expectError(await rest(`${REPORTS}/kpis?from=yesterday`), 400, 'BAD_USER_INPUT', 'from');
    expectError(await rest(`${REPORTS}/kpis?timezone=Mars/Olympus`), 400, 'BAD_USER_INPUT', 'timezone');
    expectError(await rest(`${REPORTS}/kpis?from=2026-06-05T00:00:00Z&to=2026-06-01T00:00:00Z`), 400, 'BAD_USER_INPUT', 'from');
    expectError(await rest('/api/autocall/campaigns/five/reports/kpis'), 400, 'BAD_USER_INPUT', 'id');
    const { body } = await rest(`${REPORTS}/kpis?timezone=Mars/Olympus`);
    expect(body.error.message).toMatch(/^Parameter "timezone" /);
  });

  it('answers 404 for a missing campaign and for another tenant\'s alike', async () => {
    const missing = await rest('/api/autocall/campaigns/99/reports/kpis');
    const foreign = await rest('/api/autocall/campaigns/12/reports/kpis');
    expectError(missing, 404, 'NOT_FOUND', 'id');
    expectError(foreign, 404, 'NOT_FOUND', 'id');
    expect(foreign.body.error.message).toBe(missing.body.error.message.replace('99', '12'));
  });
});

describe('GET /api/autocall/campaigns/{id}/reports/trend', () => {
  it('answers one bucket per local day, from and to included', async () => {
    const { status, body } = await rest(`${REPORTS}/trend?from=2026-06-01&to=2026-06-03`);
    expect(status).toBe(200);
    expect(body.data).toEqual([
      { bucket: '2026-06-01', dialed: 2, answered: 1, answer_rate_pct: '50.00', avg_duration_sec: 42, transfer_count: 1 },
      { bucket: '2026-06-02', dialed: 2, answered: 1, answer_rate_pct: '50.00', avg_duration_sec: 30, transfer_count: 0 },
      { bucket: '2026-06-03', dialed: 3, answered: 3, answer_rate_pct: '100.00', avg_duration_sec: 44, transfer_count: 0 },
    ]);
  });

  it('takes the newer granularities and a timezone, with the GraphQL buckets', async () => {
    for (const [granularity, graphqlValue] of [['hour', 'HOUR'], ['quarter_hour', 'QUARTER_HOUR'], ['week', 'WEEK'], ['month', 'MONTH']]) {
      const { body } = await rest(`${REPORTS}/trend?from=2026-06-01&to=2026-06-02&granularity=${granularity}&timezone=Asia/Tokyo`);
      const trend = await graphqlReport(
        `trend(from: "2026-06-01", to: "2026-06-02", granularity: ${graphqlValue}, timezone: "Asia/Tokyo") { bucket dialed answered answerRatePct avgDurationSec transferCount }`,
      );
      expect(body.data, granularity).toEqual(snakeKeys(trend));
    }
    const { body } = await rest(`${REPORTS}/trend?from=2026-06-01&to=2026-06-01&granularity=hour`);
    expect(body.data).toHaveLength(24);
    expect(body.data[9]).toEqual({ bucket: '2026-06-01T09:00:00+07:00', dialed: 2, answered: 1, answer_rate_pct: '50.00', avg_duration_sec: 42, transfer_count: 1 });
  });

  it('refuses a granularity it does not know, and a malformed day, by name', async () => {
    expectError(await rest(`${REPORTS}/trend?granularity=year`), 400, 'BAD_USER_INPUT', 'granularity');
    expectError(await rest(`${REPORTS}/trend?from=2026-13-01`), 400, 'BAD_USER_INPUT', 'from');
    expectError(await rest(`${REPORTS}/trend?from=2026-06-05&to=2026-06-01`), 400, 'BAD_USER_INPUT', 'from');
  });
});

describe('GET /api/autocall/campaigns/comparison', () => {
  it('answers one row per campaign, campaign_id a number, best first', async () => {
    const { status, body } = await rest('/api/autocall/campaigns/comparison?campaign_ids=8,5');
    expect(status).toBe(200);
    expect(body.data).toEqual([
      { campaign_id: 5, campaign_name: 'Renewal Q3', metric_value: '60.00' },
      { campaign_id: 8, campaign_name: 'Cross-sell Q3', metric_value: null },
    ]);
  });

  it('compares by the metric asked for, as GraphQL does', async () => {
    for (const [metric, graphqlValue] of [['avg_duration_sec', 'AVG_DURATION_SEC'], ['transfer_rate_pct', 'TRANSFER_RATE_PCT']]) {
      const { body } = await rest(`/api/autocall/campaigns/comparison?campaign_ids=5,8,20&metric=${metric}&${JUNE}`);
      const data = await kit.data(`{ campaignComparison(campaignIds: ["5", "8", "20"], metric: ${graphqlValue}, ${JUNE_ARGS}) { campaignId campaignName metricValue } }`);
      expect(body.data, metric).toEqual(
        data.campaignComparison.map((row: { campaignId: string }) => snakeKeys({ ...row, campaignId: Number(row.campaignId) })),
      );
    }
    const { body } = await rest('/api/autocall/campaigns/comparison?campaign_ids=5&metric=avg_duration_sec');
    expect(body.data).toEqual([{ campaign_id: 5, campaign_name: 'Renewal Q3', metric_value: '41.33' }]);
  });

  it('names campaign_ids when it is missing, malformed, or names a campaign the caller cannot see', async () => {
    expectError(await rest('/api/autocall/campaigns/comparison'), 400, 'BAD_USER_INPUT', 'campaign_ids');
    expectError(await rest('/api/autocall/campaigns/comparison?campaign_ids=5,x'), 400, 'BAD_USER_INPUT', 'campaign_ids');
    expectError(await rest('/api/autocall/campaigns/comparison?campaign_ids=5,12'), 404, 'NOT_FOUND', 'campaign_ids');
    expectError(await rest('/api/autocall/campaigns/comparison?campaign_ids=5&metric=conversion'), 400, 'BAD_USER_INPUT', 'metric');
  });
});

describe('GET /api/autocall/campaigns/{id}/reports/hangup', () => {
  it('answers the calls by hangup cause, shares summing to 100.00', async () => {
    const { body } = await rest(`${REPORTS}/hangup`);
    expect(body.data).toEqual({
      total_calls: 10,
      by_hangup_cause: [
        { hangup_cause: 'NORMAL_CLEARING', count: 6, pct: '60.00' },
        { hangup_cause: 'CALL_REJECTED', count: 1, pct: '10.00' },
        { hangup_cause: 'NO_ANSWER', count: 1, pct: '10.00' },
        { hangup_cause: 'ORIGINATOR_CANCEL', count: 1, pct: '10.00' },
        { hangup_cause: 'USER_BUSY', count: 1, pct: '10.00' },
      ],
    });
    const windowed = await rest(`${REPORTS}/hangup?from=2026-06-02T00:00:00Z&to=2026-06-03T00:00:00Z`);
    expect(windowed.body.data).toEqual(snakeKeys(await graphqlReport('hangup(from: "2026-06-02T00:00:00Z", to: "2026-06-03T00:00:00Z") { totalCalls byHangupCause { hangupCause count pct } }')));
  });
});

describe('GET /api/autocall/campaigns/{id}/reports/heatmap', () => {
  it('answers a flat array of 168 cells, Sunday first, with the metric as value', async () => {
    const { body } = await rest(`${REPORTS}/heatmap?metric=answer_rate_pct`);
    expect(body.data).toHaveLength(168);
    expect(body.data.map((cell: { day_of_week: number; hour: number }) => cell.day_of_week * 24 + cell.hour)).toEqual([...Array(168).keys()]);
    // Monday June 1, 09:00 and 09:30 in Hồ Chí Minh City: C-1 answered, C-2 not.
    expect(body.data[24 + 9]).toEqual({ day_of_week: 1, hour: 9, dialed: 2, answered: 1, answer_rate_pct: '50.00', value: 50 });
    expect(body.data[0]).toEqual({ day_of_week: 0, hour: 0, dialed: 0, answered: 0, answer_rate_pct: null, value: null });
  });

  it('defaults the metric to dialed, and takes a window and a timezone as GraphQL does', async () => {
    const { body } = await rest(`${REPORTS}/heatmap`);
    expect(body.data[24 + 9].value).toBe(2);
    const zoned = await rest(`${REPORTS}/heatmap?metric=answered&timezone=America/New_York&${JUNE}`);
    const heatmap = await graphqlReport(`heatmap(metric: ANSWERED, timezone: "America/New_York", ${JUNE_ARGS}) { dayOfWeek hour dialed answered answerRatePct value }`);
    expect(zoned.body.data).toEqual(snakeKeys(heatmap));
    expectError(await rest(`${REPORTS}/heatmap?metric=busy`), 400, 'BAD_USER_INPUT', 'metric');
  });
});

describe('GET /api/autocall/campaigns/{id}/reports/dtmf', () => {
  it('answers the keys with their labels and the script paths', async () => {
    const { body } = await rest(`${REPORTS}/dtmf`);
    expect(body.data).toEqual({
      total_answered: 6,
      with_dtmf_input: 5,
      no_input: 1,
      no_input_rate_pct: '16.67',
      by_digit: [
        { digit: '1', count: 3, pct: '60.00', label: 'Đồng ý chuyển agent' },
        { digit: '2', count: 1, pct: '20.00', label: 'Không quan tâm' },
        { digit: '9', count: 1, pct: '20.00', label: null },
      ],
      by_script_path: [
        { path: 'intro → press_1 → queue_sales', count: 3 },
        { path: 'intro → invalid_input → hangup', count: 1 },
        { path: 'intro → no_input → hangup', count: 1 },
        { path: 'intro → press_2 → playback_polite → hangup', count: 1 },
      ],
    });
  });
});

describe('GET /api/autocall/campaigns/{id}/reports/funnel', () => {
  it('answers the six stages with drop_rate_pct null for the first', async () => {
    const { body } = await rest(`${REPORTS}/funnel`);
    expect(body.data).toEqual([
      { stage: 'Imported lead', count: 6, drop_rate_pct: null },
      { stage: 'Dialed', count: 5, drop_rate_pct: '16.67' },
      { stage: 'Answered', count: 4, drop_rate_pct: '20.00' },
      { stage: 'Pressed valid DTMF', count: 3, drop_rate_pct: '25.00' },
      { stage: 'Transferred to agent', count: 2, drop_rate_pct: '33.33' },
      { stage: 'Agent disposed', count: 1, drop_rate_pct: '50.00' },
    ]);
    const windowed = await rest(`${REPORTS}/funnel?from=2026-06-03T00:00:00Z&to=2026-06-06T00:00:00Z`);
    expect(windowed.body.data).toEqual(snakeKeys(await graphqlReport('funnel(from: "2026-06-03T00:00:00Z", to: "2026-06-06T00:00:00Z") { stage count dropRatePct }')));
  });
});

describe('POST /api/autocall/campaigns/{id}/reports/export and GET …/export/{job_id}', () => {
  it('accepts a job with 202, then reports it in lower case until ready with its download link', async () => {
    const started = await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'full', from: '2026-06-01', to: '2026-06-30', format: 'xlsx' } });
    expect(started.status).toBe(202);
    expect(started.body.data).toEqual({ job_id: expect.stringMatching(/^export_[0-9a-f]{8}$/), status: 'queued', report_type: 'full', estimated_seconds: expect.any(Number) });
    const jobId = started.body.data.job_id;
    expect(started.headers.get('location')).toBe(`${REPORTS}/export/${jobId}`);

    let job: RestAnswer;
    await expect
      .poll(async () => (job = await rest(`${REPORTS}/export/${jobId}`)).body.data.status, { timeout: 20_000, interval: 200 })
      .toBe('ready');
    expect(job!.body.data).toMatchObject({
      job_id: jobId,
      status: 'ready',
      report_type: 'full',
      format: 'xlsx',
      progress_pct: '100.00',
      download_url: expect.stringContaining(`/exports/${jobId}/download?`),
      expires_in_seconds: expect.any(Number),
      file_size: expect.any(Number),
      completed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
    });
    expect(job!.body.data.expires_in_seconds).toBeGreaterThan(3500);
    const file = await fetch(job!.body.data.download_url);
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(job!.body.data.file_size);
  });

  it('answers 404 for a job under another campaign\'s path, and for an unknown job', async () => {
    const started = await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'kpis', format: 'csv' } });
    expect(started.body.data.report_type).toBe('kpis');
    expectError(await rest(`/api/autocall/campaigns/8/reports/export/${started.body.data.job_id}`), 404, 'NOT_FOUND', 'job_id');
    expectError(await rest(`${REPORTS}/export/export_00000000`), 404, 'NOT_FOUND', 'job_id');
  });

  it('needs autocall_export_report to start one', async () => {
    const reader = await kit.token({ permissions: [PERMISSIONS.apiAccess] });
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', token: reader, body: { report_type: 'kpis' } }), 403, 'FORBIDDEN');
  });

  it('refuses a bad body by name, a body that is not JSON with 415 and one too large with 413', async () => {
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: {} }), 400, 'BAD_USER_INPUT', 'report_type');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'everything' } }), 400, 'BAD_USER_INPUT', 'report_type');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'kpis', format: 'pdf' } }), 400, 'BAD_USER_INPUT', 'format');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'kpis', from: '30/06/2026' } }), 400, 'BAD_USER_INPUT', 'from');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'kpis', timezone: 'Nowhere/At_All' } }), 400, 'BAD_USER_INPUT', 'timezone');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: { report_type: 'kpis', from: '2026-06-30', to: '2026-06-01' } }), 400, 'BAD_USER_INPUT', 'from');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: '{"report_type": ', headers: { 'content-type': 'application/json' } }), 400, 'BAD_USER_INPUT');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } }), 400, 'BAD_USER_INPUT');
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: 'report_type=kpis', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_CONTENT_TYPE');
    const padded = JSON.stringify({ report_type: 'kpis', padding: 'x'.repeat(20_000) });
    expectError(await rest(`${REPORTS}/export`, { method: 'POST', body: padded, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await rest('/api/autocall/campaigns/12/reports/export', { method: 'POST', body: { report_type: 'kpis' } }), 404, 'NOT_FOUND', 'id');
    const jobs = await kit.db.prisma.exportJob.count({ where: { reportType: 'kpis', format: 'xlsx' } });
    expect(jobs).toBe(0);
  });
});

describe('REST authentication, methods and paths', () => {
  it('answers 401 without a token or with a bad one, 403 without autocall_api_access', async () => {
    const anonymous = await rest(`${REPORTS}/kpis`, { token: null });
    expectError(anonymous, 401, 'UNAUTHENTICATED');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expectError(await rest(`${REPORTS}/kpis`, { token: 'not.a.jwt' }), 401, 'UNAUTHENTICATED');
    expectError(await rest(`${REPORTS}/kpis`, { token: await kit.token({ permissions: [] }) }), 403, 'FORBIDDEN');
  });

  it('answers 405 with Allow for a method a path does not take, and 404 for a path the document does not have', async () => {
    const wrong = await rest(`${REPORTS}/kpis`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expectError(await rest(`${REPORTS}/revenue`), 404, 'NOT_FOUND');
  });
});

describe('REST rate limits', () => {
  it('answers 429 with Retry-After once the token\'s budget is spent, in the shape the document describes', async () => {
    const limited = await createTestkit(REPORT_FIXTURE, { rateLimits: { perToken: 2, perTenant: 0 } });
    try {
      const { rest: limitedRest } = restClient(limited.url.replace('/graphql', ''), await limited.token());
      expect((await limitedRest(`${REPORTS}/kpis`)).status).toBe(200);
      expect((await limitedRest(`${REPORTS}/funnel`)).status).toBe(200);
      const refused = await limitedRest(`${REPORTS}/kpis`);
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const checker = await openApiChecker(await (await fetch(limited.url.replace('/graphql', '/api/openapi.json'))).json());
      expect(checker.errorsOf('GET', refused.template!, 429, refused.body)).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('REST caching headers', () => {
  it('gives every report an ETag and answers 304 to If-None-Match, after authentication', async () => {
    for (const path of ['kpis', 'trend', 'hangup', 'heatmap', 'dtmf', 'funnel']) {
      const first = await rest(`${REPORTS}/${path}?from=2026-06-01&to=2026-06-30`);
      const etag = first.headers.get('etag');
      expect(etag, path).toMatch(/^W\/"[\w-]+"$/);
      const again = await rest(`${REPORTS}/${path}?from=2026-06-01&to=2026-06-30`, { headers: { 'if-none-match': etag! } });
      expect(again.status, path).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.body).toBeUndefined();
      expectError(await rest(`${REPORTS}/${path}?from=2026-06-01&to=2026-06-30`, { token: null, headers: { 'if-none-match': etag! } }), 401, 'UNAUTHENTICATED');
    }
    const comparison = await rest('/api/autocall/campaigns/comparison?campaign_ids=5,8');
    const unchanged = await rest('/api/autocall/campaigns/comparison?campaign_ids=5,8', { headers: { 'if-none-match': `"other", ${comparison.headers.get('etag')}` } });
    expect(unchanged.status).toBe(304);
  });

  it('keeps the kpis ETag while only computed_at moves, and changes it when a call arrives', async () => {
    const first = await rest(`${REPORTS}/kpis?from=2026-06-01&to=2026-07-01`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await rest(`${REPORTS}/kpis?from=2026-06-01&to=2026-07-01`);
    expect(second.body.data.computed_at).not.toBe(first.body.data.computed_at);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));

    expect(await kit.ingest(lead('REST-L1', 5), call('REST-C1', 5, 'REST-L1', { started_at: '2026-06-20T02:00:00Z', answered_at: '2026-06-20T02:00:05Z', ended_at: '2026-06-20T02:01:00Z' }))).toBe(200);
    const changed = await rest(`${REPORTS}/kpis?from=2026-06-01&to=2026-07-01`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(changed.status).toBe(200);
    expect(changed.body.data.dialed).toBe(11);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
  });
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document of every route with its parameters', async () => {
    const response = await fetch(kit.url.replace('/graphql', '/api/openapi.json'));
    expect(response.status).toBe(200);
    const document = await response.json();
    const checker = await openApiChecker(document);
    expect(checker.version).toBe('3.1');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/autocall/campaigns/comparison',
      '/api/autocall/campaigns/{id}/reports/dtmf',
      '/api/autocall/campaigns/{id}/reports/export',
      '/api/autocall/campaigns/{id}/reports/export/{job_id}',
      '/api/autocall/campaigns/{id}/reports/funnel',
      '/api/autocall/campaigns/{id}/reports/hangup',
      '/api/autocall/campaigns/{id}/reports/heatmap',
      '/api/autocall/campaigns/{id}/reports/kpis',
      '/api/autocall/campaigns/{id}/reports/trend',
    ]);
    const parameters = (path: string, method = 'get') =>
      document.paths[path][method].parameters.map((parameter: { in: string; name: string }) => `${parameter.in}:${parameter.name}`);
    expect(parameters('/api/autocall/campaigns/{id}/reports/kpis')).toEqual(['path:id', 'query:from', 'query:to', 'query:timezone']);
    expect(parameters('/api/autocall/campaigns/{id}/reports/trend')).toEqual(['path:id', 'query:from', 'query:to', 'query:granularity', 'query:timezone']);
    expect(parameters('/api/autocall/campaigns/comparison')).toEqual(['query:campaign_ids', 'query:metric', 'query:from', 'query:to']);
    expect(parameters('/api/autocall/campaigns/{id}/reports/export/{job_id}')).toEqual(['path:id', 'path:job_id']);
    expect(Object.keys(document.paths['/api/autocall/campaigns/{id}/reports/export'].post.responses)).toContain('202');
  });

  it('describes every answer the tests above received, errors included', async () => {
    const checker = await openApiChecker(await (await fetch(kit.url.replace('/graphql', '/api/openapi.json'))).json());
    const checked = client.answers.filter((answer) => answer.template && answer.body !== undefined && answer.status !== 405);
    expect(new Set(checked.map((answer) => `${answer.method} ${answer.template}`)).size).toBe(REST_ROUTES.length);
    expect(new Set(checked.map((answer) => answer.status))).toEqual(new Set([200, 202, 400, 401, 403, 404, 413, 415]));
    for (const answer of checked) {
      expect(checker.errorsOf(answer.method, answer.template!, answer.status, answer.body), `${answer.method} ${answer.template} ${answer.status} ${JSON.stringify(answer.body)}`).toEqual([]);
    }
  });
});

describe('REST routes', () => {
  it('are each one saved operation that the GraphQL schema validates', () => {
    for (const route of REST_ROUTES) {
      expect(validate(schema, parse(route.document)), route.operationId).toEqual([]);
    }
  });
});
