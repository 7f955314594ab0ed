import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, campaign, lead } from '../support/fixtures.js';
import { createTestkit, ndjson, type Testkit } from '../support/testkit.js';

// 60 campaigns, each with its own start (so each has its own default window), a lead and two calls.
const FIXTURE = ndjson(
  ...Array.from({ length: 60 }, (_, index) => {
    const id = index + 1;
    const start = new Date(Date.UTC(2026, 5, 1, index % 24)).toISOString();
    return [
      campaign(id, `Campaign ${id}`, 'acme', { started_at: start }),
      lead(`L-${id}`, id),
      call(`C-${id}-a`, id, `L-${id}`, { started_at: '2026-06-10T02:00:00Z', ended_at: '2026-06-10T02:01:00Z', answered_at: null }),
      call(`C-${id}-b`, id, `L-${id}`, { started_at: '2026-06-11T02:00:00Z', ended_at: '2026-06-11T02:01:00Z', answered_at: null, result: 'busy', dtmf: null }),
    ];
  }).flat(),
);

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(FIXTURE);
});
afterAll(() => kit.close());

async function statementsFor(query: string): Promise<{ count: number; data: any }> {
  const statements: string[] = [];
  const stop = kit.db.queryLog.observe((sql) => statements.push(sql));
  try {
    const data = await kit.data(query);
    return { count: statements.length, data };
  } finally {
    stop();
  }
}

const EVERY_REPORT = `kpis { dialed totalLeads dtmfDistribution { key } } funnel { count }
  trend(from: "2026-06-10", to: "2026-06-11") { dialed } hangup { totalCalls } dtmf { noInput byScriptPath { path } }
  heatmap { value }`;

describe('DataLoader batching', () => {
  it('runs the same statements for 5 campaigns\' reports as for 50', async () => {
    const five = await statementsFor(`{ campaigns(first: 5) { edges { node { id ${EVERY_REPORT} } } } }`);
    const fifty = await statementsFor(`{ campaigns(first: 50) { edges { node { id ${EVERY_REPORT} } } } }`);
    expect(fifty.data.campaigns.edges).toHaveLength(50);
    expect(fifty.data.campaigns.edges[49].node).toMatchObject({
      id: '50',
      kpis: { dialed: 2, totalLeads: 1 },
      funnel: [{ count: 1 }, { count: 1 }, { count: 1 }, { count: 1 }, { count: 1 }, { count: 1 }],
      trend: [{ dialed: 1 }, { dialed: 1 }],
      hangup: { totalCalls: 2 },
    });
    // The page, then one statement per aggregate: call totals, lead totals, DTMF keys, funnel,
    // daily trend, hangup causes, script paths and heatmap cells.
    expect(five.count).toBe(9);
    expect(fifty.count).toBe(five.count);
  });

  it('counts trends of every granularity in one statement, each with its own steps', async () => {
    const { count, data } = await statementsFor(`{ campaign(id: "1") {
      days: trend(from: "2026-06-10", to: "2026-06-11") { bucket dialed }
      weeks: trend(from: "2026-06-10", to: "2026-06-11", granularity: WEEK) { bucket dialed }
      hours: trend(from: "2026-06-10", to: "2026-06-11", granularity: HOUR) { dialed }
      quarters: trend(from: "2026-06-10", to: "2026-06-10", granularity: QUARTER_HOUR) { dialed } } }`);
    // The campaign, then the counts of all four; the calls start at 09:00 in Asia/Ho_Chi_Minh.
    expect(count).toBe(2);
    expect(data.campaign.days).toEqual([{ bucket: '2026-06-10', dialed: 1 }, { bucket: '2026-06-11', dialed: 1 }]);
    expect(data.campaign.weeks).toEqual([{ bucket: '2026-06-08', dialed: 2 }]);
    const busy = (buckets: { dialed: number }[]) => buckets.flatMap((bucket, index) => (bucket.dialed ? [[index, bucket.dialed]] : []));
    expect([data.campaign.hours.length, busy(data.campaign.hours)]).toEqual([48, [[9, 1], [33, 1]]]);
    expect([data.campaign.quarters.length, busy(data.campaign.quarters)]).toEqual([96, [[36, 1]]]);
  });

  it('runs the same statements for a comparison of 5 campaigns as for 50', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, index) => `"${index + 1}"`).join(', ');
    const five = await statementsFor(`{ campaignComparison(campaignIds: [${ids(5)}]) { campaignId metricValue } }`);
    const fifty = await statementsFor(`{ campaignComparison(campaignIds: [${ids(50)}]) { campaignId metricValue } }`);
    expect(fifty.data.campaignComparison).toHaveLength(50);
    expect(fifty.data.campaignComparison[0]).toEqual({ campaignId: '1', metricValue: '50.00' });
    expect(five.count).toBe(2);
    expect(fifty.count).toBe(five.count);
  });
});
