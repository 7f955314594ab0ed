import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const NDJSON = 'application/x-ndjson';
const lines = (...records: object[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n';

describe('POST /ingest', () => {
  let kit: Testkit;
  let ingestUrl: string;
  let token: string;
  const metrics = createMetrics();
  const post = (body: BodyInit, headers: Record<string, string> = {}, bearer: string | null = token) =>
    fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': NDJSON, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE, { ingestMaxBytes: 1 << 20, metrics });
    ingestUrl = kit.url.replace('/graphql', '/ingest');
    token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.ingest] });
  });
  afterAll(() => kit.close());

  it('imports its own tenant\'s lines and answers 200 with the counts; reports see them at once', async () => {
    const response = await post(
      lines(
        campaign(30, 'Ingested', 'acme'),
        lead('IL-1', 30),
        call('IC-1', 30, 'IL-1', { started_at: '2026-06-10T02:00:00Z', answered_at: '2026-06-10T02:00:05Z', ended_at: '2026-06-10T02:01:00Z' }),
        call('IC-2', 30, 'IL-1', {
          started_at: '2026-06-10T03:00:00Z', answered_at: null, ended_at: '2026-06-10T03:00:20Z', result: 'busy', hangup_cause: 'USER_BUSY',
          billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
        }),
      ),
    );
    expect(await response.json()).toEqual({ imported: { campaign: 1, lead: 1, call: 2 }, rejected: [] });
    expect(response.status).toBe(200);
    const data = await kit.data(`{ campaign(id: "30") { name dataUpdatedAt kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed answered busy } } }`);
    expect(data.campaign).toMatchObject({ name: 'Ingested', kpis: { dialed: 2, answered: 1, busy: 1 } });
    expect(Date.now() - Date.parse(data.campaign.dataUpdatedAt)).toBeLessThan(60_000);
  });

  it('treats another tenant\'s campaign like an unknown one and still imports the good lines (422)', async () => {
    const response = await post(
      lines(
        lead('IL-2', 5),
        campaign(12, 'Taken over', 'acme'), // globex's campaign id
        campaign(31, 'Somebody else\'s', 'globex'),
        lead('IL-3', 12),
        call('IC-3', 12, 'L-12'),
        call('IC-4', 999, 'L-1'),
        call('IC-5', 5, 'IL-2'),
      ) + 'not json\n',
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      imported: { campaign: 0, lead: 1, call: 1 },
      rejected: [
        { line: 2, type: 'campaign', reason: 'campaign 12 of tenant "acme" cannot be written with this token' },
        { line: 3, type: 'campaign', reason: 'campaign 31 of tenant "globex" cannot be written with this token' },
        { line: 4, type: 'lead', reason: 'unknown campaign 12' },
        { line: 5, type: 'call', reason: 'unknown campaign 12' },
        { line: 6, type: 'call', reason: 'unknown campaign 999' },
        { line: 8, type: null, reason: expect.stringMatching(/JSON/) },
      ],
    });
    const globex = await kit.db.prisma.campaign.findUniqueOrThrow({ where: { id: 12 } });
    expect(globex).toMatchObject({ tenantId: 'globex', name: 'Win-back churned' });
    expect(await kit.db.prisma.lead.count({ where: { id: 'IL-3' } })).toBe(0);
    expect(await kit.db.prisma.callAttempt.count({ where: { id: { in: ['IC-3', 'IC-4', 'IC-5'] } } })).toBe(1);
  });

  it('refuses a missing token (401), a token without autocall_ingest (403) and another content type (415)', async () => {
    const body = lines(lead('IL-9', 5));
    const noToken = await post(body, {}, null);
    expect([noToken.status, await noToken.json()]).toEqual([401, { error: 'Missing bearer token: send "Authorization: Bearer <JWT>"' }]);
    const reader = await post(body, {}, await kit.token());
    expect([reader.status, await reader.json()]).toEqual([403, { error: 'The token lacks the permission autocall_ingest' }]);
    const json = await post(body, { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const get = await fetch(ingestUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
    expect(await kit.db.prisma.lead.count({ where: { id: 'IL-9' } })).toBe(0);
  });

  it('refuses a body over the limit: at once by Content-Length, or where a stream crosses it', async () => {
    const big = lines(...Array.from({ length: 10_000 }, (_, i) => lead(`BIG-${i}`, 5)));
    expect(big.length).toBeGreaterThan(1 << 20);
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: 'The body is larger than 1048576 bytes (INGEST_MAX_BYTES)' });
    expect(await kit.db.prisma.lead.count({ where: { id: { startsWith: 'BIG-' } } })).toBe(0);

    // Without a length the lines before the limit are taken, and the answer says where it stopped.
    const streamed = await post(streamOf(big.match(/[^]{1,65536}/g)!));
    expect(streamed.status).toBe(413);
    const body = await streamed.json();
    expect(body.error).toBe('The body is larger than 1048576 bytes (INGEST_MAX_BYTES); the lines before that point were taken');
    expect(body.imported.lead).toBeGreaterThan(0);
    expect(await kit.db.prisma.lead.count({ where: { id: { startsWith: 'BIG-' } } })).toBe(body.imported.lead);
  });

  it('streams: batches are committed while the body is still arriving', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = lines(...Array.from({ length: 5_000 }, (_, i) => lead(`S-${i}`, 5)));
    const response = post(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          for (let i = 0; i < first.length; i += 16_384) controller.enqueue(new TextEncoder().encode(first.slice(i, i + 16_384)));
          await held;
          controller.enqueue(new TextEncoder().encode(lines(lead('S-last', 5))));
          controller.close();
        },
      }),
      {},
      await kit.token({ permissions: [PERMISSIONS.ingest] }),
    );
    await expect.poll(() => kit.db.prisma.lead.count({ where: { id: { startsWith: 'S-' } } }), { timeout: 15_000 }).toBe(5_000);
    release();
    expect((await response).status).toBe(200);
    expect(await kit.db.prisma.lead.count({ where: { id: { startsWith: 'S-' } } })).toBe(5_001);
  });

  it('takes many one-call requests at once: each answered with its own lines, every good call stored once, rollups exact', async () => {
    // 60 requests in flight together share transactions (group commit); every fifth names a lead that does not exist.
    let transactions = 0;
    const stopCounting = kit.db.queryLog.observe((sql) => void (sql.includes("set_config('synchronous_commit'") && (transactions += 1)));
    const requests = Array.from({ length: 60 }, (_, n) => {
      const leadId = n % 5 === 4 ? `NO-SUCH-LEAD-${n}` : ['L-1', 'L-2', 'L-3', 'L-4', 'L-5'][n % 5]!;
      const started = new Date(Date.UTC(2026, 5, 20, 2, n)).toISOString();
      return post(lines(call(`GC-${n}`, 5, leadId, { started_at: started, answered_at: null, ended_at: started, result: 'no_answer', hangup_cause: 'NO_ANSWER', billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null })));
    });
    const answers = await Promise.all(
      requests.map(async (sent) => {
        const response = await sent;
        return { status: response.status, body: await response.json() };
      }),
    );
    stopCounting();
    // On PostgreSQL they wait for one another's transactions and share them. The embedded database
    // runs in this thread and a transaction's statements finish before the next request is read, so
    // each request has one of its own there.
    expect(transactions).toBeLessThanOrEqual(kit.db.kind === 'postgres' ? 30 : 60);
    expect(transactions).toBeGreaterThan(0);
    answers.forEach(({ status, body }, n) => {
      if (n % 5 === 4) {
        expect({ status, body }).toEqual({ status: 422, body: { imported: { campaign: 0, lead: 0, call: 0 }, rejected: [{ line: 1, type: 'call', reason: `unknown lead "NO-SUCH-LEAD-${n}"` }] } });
      } else {
        expect({ status, body }).toEqual({ status: 200, body: { imported: { campaign: 0, lead: 0, call: 1 }, rejected: [] } });
      }
    });
    expect(await kit.db.prisma.callAttempt.count({ where: { id: { startsWith: 'GC-' } } })).toBe(48);
    const window = 'from: "2026-06-20T00:00:00Z", to: "2026-06-21T00:00:00Z"';
    const { campaign: fromRollups } = await kit.data(`{ campaign(id: "5") { kpis(${window}) { dialed noAnswer } } }`);
    expect(fromRollups.kpis).toEqual({ dialed: 48, noAnswer: 48 });
  });

  it('answers a page\'s request (with an Origin, through the GraphQL server\'s pipeline) as it answers a server\'s', async () => {
    const origin = { origin: 'http://localhost:4000' };
    const body = () => lines(lead('OR-1', 5), call('OR-C1', 5, 'OR-1'));
    const [direct, throughYoga] = [await post(body()), await post(body(), origin)];
    expect([direct.status, throughYoga.status]).toEqual([200, 200]);
    expect(await throughYoga.json()).toEqual(await direct.json());
    const [directRefusal, yogaRefusal] = [await post(body(), {}, 'not-a-token'), await post(body(), origin, 'not-a-token')];
    expect([directRefusal.status, yogaRefusal.status]).toEqual([401, 401]);
    expect(await yogaRefusal.json()).toEqual(await directRefusal.json());
    expect(directRefusal.headers.get('content-type')).toBe('application/json');
  });

  it('leaves a lead imported after a funnel\'s window out of it, even with calls inside the window', async () => {
    const response = await post(
      lines(
        campaign(33, 'Late leads', 'acme'),
        lead('LATE-1', 33, { imported_at: '2026-06-01T00:00:00Z' }),
        lead('LATE-2', 33, { imported_at: '2026-06-05T00:00:00Z' }),
        call('LATE-C1', 33, 'LATE-1', { started_at: '2026-06-03T02:00:00Z', answered_at: '2026-06-03T02:00:05Z', ended_at: '2026-06-03T02:01:00Z' }),
        call('LATE-C2', 33, 'LATE-2', { started_at: '2026-06-03T03:00:00Z', answered_at: '2026-06-03T03:00:05Z', ended_at: '2026-06-03T03:01:00Z' }),
        // Most calls outside the windows, so that the funnel groups the windows' calls by lead.
        lead('LATE-3', 33, { imported_at: '2026-06-01T00:00:00Z' }),
        ...[10, 11, 12].map((day) => call(`LATE-C${day}`, 33, 'LATE-3', { started_at: `2026-06-${day}T02:00:00Z`, answered_at: null, ended_at: `2026-06-${day}T02:00:30Z`, result: 'no_answer' })),
      ),
    );
    expect(response.status).toBe(200);
    const counts = async (window: string) =>
      (await kit.data(`{ campaign(id: "33") { funnel(${window}) { count } } }`)).campaign.funnel.map((stage: { count: number }) => stage.count);
    expect(await counts('from: "2026-06-02T00:00:00Z", to: "2026-06-04T00:00:00Z"')).toEqual([2, 1, 1, 1, 1, 1]);
    expect(await counts('from: "2026-06-02T00:00:00Z", to: "2026-06-06T00:00:00Z"')).toEqual([3, 2, 2, 2, 2, 2]);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('keeps the calls\' visibility map current after live writes, so reports read the covering index alone', async () => {
    // Autovacuum is kept out of it: what makes the pages all-visible again must be the gateway.
    await kit.db.prisma.$executeRawUnsafe('ALTER TABLE call_attempt SET (autovacuum_enabled = false)');
    const heapFetches = async () => {
      const session = await kit.db.session();
      try {
        await session.exec('SET enable_seqscan = off; SET enable_bitmapscan = off');
        const [row] = await session.rows<{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) SELECT lead_id FROM call_attempt WHERE campaign_id = 5 AND started_at >= '2026-06-01'`,
        );
        const plan = row!['QUERY PLAN'][0].Plan;
        expect(plan['Node Type']).toBe('Index Only Scan');
        return plan['Heap Fetches'] as number;
      } finally {
        await session.release();
      }
    };
    const started = '2026-06-21T02:00:00Z';
    const response = await post(lines(call('VM-1', 5, 'L-1', { started_at: started, answered_at: null, ended_at: started, result: 'no_answer', hangup_cause: 'NO_ANSWER', billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null })));
    expect(response.status).toBe(200);
    expect(await heapFetches()).toBeGreaterThan(0);
    const deadline = Date.now() + 15_000;
    while ((await heapFetches()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await heapFetches()).toBe(0);
    // The VACUUM that did it is counted, with its duration, for operators.
    const vacuums = (await metrics.ingest.vacuum.get()).values.find((value) => value.metricName === 'autocall_ingest_vacuum_seconds_count');
    expect(vacuums?.value).toBeGreaterThanOrEqual(1);
  });

  it('checks a campaign\'s owner again when it writes: a campaign handed to another tenant meanwhile takes no more of the old one\'s lines', async () => {
    await post(lines(campaign(32, 'Moving', 'acme'), lead('MV-1', 32)));
    // Another process (the import command, any tenant) gives the campaign to globex; this gateway's
    // process still believes acme owns it.
    await kit.db.prisma.$executeRawUnsafe(`INSERT INTO tenant (id) VALUES ('globex') ON CONFLICT DO NOTHING`);
    await kit.db.prisma.$executeRawUnsafe(`UPDATE campaign SET tenant_id = 'globex' WHERE id = 32`);
    const response = await post(lines(lead('MV-2', 32), call('MV-C1', 32, 'MV-1')));
    expect(await response.json()).toEqual({
      imported: { campaign: 0, lead: 0, call: 0 },
      rejected: [
        { line: 1, type: 'lead', reason: 'unknown campaign 32' },
        { line: 2, type: 'call', reason: 'unknown campaign 32' },
      ],
    });
    expect(await kit.db.prisma.lead.count({ where: { id: 'MV-2' } })).toBe(0);
  });
});

function streamOf(chunks: string[]) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
}
