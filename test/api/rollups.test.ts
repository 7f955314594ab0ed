import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/server/app.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { createTestkit, jwtKey, ndjson, type Testkit } from '../support/testkit.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

// Every report answered from the rollups (whole 15-minute buckets) plus raw edges must equal the
// same report from the raw rows alone, for any window, zone and edit. A second gateway on the same
// database reads raw rows only; both answer the same documents and must agree to the character.

/** mulberry32: a seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.ROLLUP_SEED ?? 20261125);
const next = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const between = (from: number, to: number) => from + Math.floor(next() * (to - from));

const CAMPAIGNS = [5, 6];
const SPAN = [Date.UTC(2026, 1, 20), Date.UTC(2026, 4, 10)]; // across New York's and Lord Howe's DST changes
const ZONES = ['Asia/Ho_Chi_Minh', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC', 'Asia/Kolkata', 'America/Havana'];

function randomCall(id: string, campaignId: number, leadId: string) {
  const start = between(SPAN[0]!, SPAN[1]!);
  const result = pick(['answered', 'answered', 'answered', 'no_answer', 'busy', 'failed', 'abandoned']);
  const answered = result === 'answered';
  const billsec = answered ? between(0, 400) : 0;
  return call(id, campaignId, leadId, {
    started_at: new Date(start).toISOString(),
    answered_at: answered ? new Date(start + 5_000).toISOString() : null,
    ended_at: new Date(start + 5_000 + billsec * 1000).toISOString(),
    result,
    billsec,
    hangup_cause: pick(['NORMAL_CLEARING', 'NO_ANSWER', 'USER_BUSY', 'CALL_REJECTED', 'RECOVERY_ON_TIMER']),
    dtmf: answered ? pick(['1', '2', '0', '9', '#', null]) : null,
    script_path: answered ? pick([['intro', 'press_1', 'queue_sales'], ['intro', 'no_input', 'hangup'], ['intro'], null]) : null,
    transfer: answered ? pick([null, null, { queue: 'sales', status: 'success' }, { queue: 'sales', status: 'failed' }]) : null,
    disposition: answered ? pick([null, 'interested', 'callback']) : null,
  });
}

const leads = CAMPAIGNS.flatMap((campaignId) =>
  Array.from({ length: 40 }, (_, i) => lead(`R-${campaignId}-${i}`, campaignId, { imported_at: new Date(between(SPAN[0]! - 86_400_000, SPAN[1]!)).toISOString() })),
);
const calls = Array.from({ length: 900 }, (_, i) => {
  const owner = pick(leads);
  return randomCall(`RC-${i}`, owner.campaign_id, owner.id);
});

const REPORTS = (from: string, to: string, zone: string, days: [string, string], hours: [string, string]) => `{
  campaigns { edges { node { id
    kpis(from: "${from}", to: "${to}", timezone: "${zone}") { totalLeads dialed answered noAnswer busy failed abandoned answerRatePct
      avgCallDurationSec totalTalkTimeSec transferToQueueCount transferSuccessRatePct dtmfDistribution { key count }
      talkTimePercentiles { p50 p90 p95 p99 }
      previousPeriod { totalLeads dialed answered totalTalkTimeSec talkTimePercentiles { p50 p90 p95 p99 } } }
    dispositions(from: "${from}", to: "${to}") { totalDisposed byDisposition { disposition count pct } }
    hangup(from: "${from}", to: "${to}") { totalCalls byHangupCause { hangupCause count pct } }
    dtmf(from: "${from}", to: "${to}") { totalAnswered withDtmfInput noInput noInputRatePct byDigit { digit count pct label } byScriptPath { path count } }
    heatmap(from: "${from}", to: "${to}", timezone: "${zone}") { dayOfWeek hour dialed answered answerRatePct value }
    days: trend(from: "${days[0]}", to: "${days[1]}", timezone: "${zone}") { bucket dialed answered answerRatePct avgDurationSec transferCount }
    hours: trend(from: "${hours[0]}", to: "${hours[1]}", granularity: HOUR, timezone: "${zone}") { bucket dialed answered avgDurationSec transferCount }
    quarters: trend(from: "${hours[0]}", to: "${hours[0]}", granularity: QUARTER_HOUR, timezone: "${zone}") { bucket start end dialed answered avgDurationSec }
    weeks: trend(from: "${days[0]}", to: "${days[1]}", granularity: WEEK, timezone: "${zone}") { bucket start end dialed answered transferCount }
    months: trend(from: "${days[0]}", to: "${days[1]}", granularity: MONTH, timezone: "${zone}") { bucket start end dialed avgDurationSec }
    funnel(from: "${from}", to: "${to}") { stage count dropRatePct }
    wholeCampaign: funnel { stage count dropRatePct }
  } } }
}`;

describe('reports from the rollups', () => {
  let kit: Testkit;
  let raw: App;
  let rawUrl: string;
  const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-raw-'));

  beforeAll(async () => {
    kit = await createTestkit(ndjson(...CAMPAIGNS.map((id) => campaign(id, `Campaign ${id}`, 'acme', { started_at: new Date(SPAN[0]!).toISOString() })), ...leads, ...calls));
    raw = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir), reportSource: 'raw' });
    rawUrl = `${await raw.start(0)}/graphql`;
  }, 120_000);
  afterAll(async () => {
    await raw.stop();
    await kit.close();
    fs.rmSync(exportsDir, { recursive: true, force: true });
  });

  const answer = async (url: string, query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    expect(body.errors, query).toBeUndefined();
    return body.data;
  };

  /** A random window (ms precision, so edges fall inside buckets), zone and day/hour ranges. */
  function randomReports() {
    const from = between(SPAN[0]! - 86_400_000, SPAN[1]!);
    const to = from + between(60_000, 50 * 86_400_000);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const hourStart = between(SPAN[0]!, SPAN[1]!);
    return REPORTS(new Date(from).toISOString(), new Date(to).toISOString(), pick(ZONES), [day(from), day(to)], [day(hourStart), day(hourStart + between(0, 4) * 86_400_000)]);
  }

  async function expectSameAnswers(rounds: number) {
    for (let round = 0; round < rounds; round += 1) {
      const query = randomReports();
      const [fromRollups, fromRaw] = await Promise.all([answer(kit.url, query), answer(rawUrl, query)]);
      expect(fromRollups.campaigns.edges[0].node.kpis.dialed + fromRollups.campaigns.edges[1].node.kpis.dialed, query).toBeGreaterThanOrEqual(0);
      expect(fromRollups, `seed ${SEED}, round ${round}:\n${query}`).toEqual(fromRaw);
    }
  }

  it('equal the reports from the raw rows on random windows and zones', async () => {
    await expectSameAnswers(25);
  });

  it('stay equal after calls and leads are imported again with other values, in batches and one by one', async () => {
    const edited = Array.from({ length: 300 }, () => {
      const original = pick(calls);
      return randomCall(original.id, original.campaign_id, original.lead_id);
    });
    const movedLeads = Array.from({ length: 20 }, () => {
      const original = pick(leads);
      return { ...original, imported_at: new Date(between(SPAN[0]!, SPAN[1]!)).toISOString() };
    });
    // New leads and calls in the same batches as the stored ones they rewrite.
    const newLeads = CAMPAIGNS.map((campaignId) => lead(`R-${campaignId}-new`, campaignId, { imported_at: new Date(between(SPAN[0]!, SPAN[1]!)).toISOString() }));
    const newCalls = Array.from({ length: 60 }, (_, i) => {
      const owner = pick([...leads, ...newLeads]);
      return randomCall(`RC-new-${i}`, owner.campaign_id, owner.id);
    });
    const mixed = [...movedLeads, ...newLeads, ...edited.slice(0, 200), ...newCalls].sort(() => next() - 0.5);
    await kit.importLines(ndjson(...newLeads, ...mixed), 50);
    await kit.importLines(ndjson(...edited.slice(200)), 1);
    await expectSameAnswers(25);
  });

  it('stay equal when two imports rewrite the same calls at the same time', async () => {
    const rewrite = () =>
      ndjson(...calls.slice(0, 400).map((original) => randomCall(original.id, original.campaign_id, original.lead_id)));
    await Promise.all([kit.importLines(rewrite(), 100), kit.importLines(rewrite(), 100), kit.importLines(rewrite(), 37)]);
    await expectSameAnswers(10);
  });

  it('hold the whole data set: the buckets add up to the raw rows', async () => {
    const [buckets] = await kit.db.prisma.$queryRawUnsafe<{ dialed: number; talk: number; answered: number; histogramTalk: number }[]>(
      `SELECT sum(dialed)::int AS dialed, sum(talk_sec)::int AS talk,
         (SELECT sum(h.count)::int FROM call_bucket_talk, unnest(talk_secs, talk_counts) AS h(sec, count)) AS answered,
         (SELECT sum(h.sec * h.count)::int FROM call_bucket_talk, unnest(talk_secs, talk_counts) AS h(sec, count)) AS "histogramTalk"
       FROM call_bucket`,
    );
    const [rows] = await kit.db.prisma.$queryRawUnsafe<{ dialed: number; talk: number; answered: number; histogramTalk: number }[]>(
      `SELECT count(*)::int AS dialed, coalesce(sum(billsec) FILTER (WHERE result = 'answered'), 0)::int AS talk,
         count(*) FILTER (WHERE result = 'answered')::int AS answered,
         coalesce(sum(billsec) FILTER (WHERE result = 'answered'), 0)::int AS "histogramTalk" FROM call_attempt`,
    );
    expect(buckets).toEqual(rows);
    // Each quarter hour's histogram: distinct seconds in ascending order, each counted at least once.
    const [malformed] = await kit.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM call_bucket_talk
       WHERE cardinality(talk_secs) <> cardinality(talk_counts) OR 0 >= ANY (talk_counts) OR talk_secs <> ARRAY(SELECT DISTINCT s FROM unnest(talk_secs) s ORDER BY s)`,
    );
    expect(malformed!.n).toBe(0);
  });
});
