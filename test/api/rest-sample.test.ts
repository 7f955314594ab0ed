import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restSampleRecords } from '../support/rest-sample-fixture.js';
import { restClient } from '../support/rest.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
let rest: ReturnType<typeof restClient>['rest'];
beforeAll(async () => {
  kit = await createTestkit(restSampleRecords());
  rest = restClient(kit.url.replace('/graphql', ''), await kit.token()).rest;
});
afterAll(() => kit.close());

const REPORTS = '/api/autocall/campaigns/5/reports';

// The answers below are copied from reports-rest-api.vi.txt; the fixture is built to have its numbers.
describe("The REST document's samples, from a campaign with its numbers", () => {
  it('GET …/kpis', async () => {
    const { body } = await rest(`${REPORTS}/kpis`);
    expect({ ...body.data, computed_at: undefined }).toEqual({
      total_leads: 5000,
      dialed: 4823,
      answered: 3120,
      no_answer: 1234,
      busy: 287,
      failed: 182,
      abandoned: 0,
      answer_rate_pct: '64.69',
      avg_call_duration_sec: 42,
      total_talk_time_sec: 131040,
      dtmf_distribution: { '1': 1840, '2': 950, '0': 215, no_input: 115 },
      transfer_to_queue_count: 1840,
      // The sample says "98.21", which no whole number of attempted transfers gives with 1,840
      // successes (1840/1873 = 98.24 %, 1840/1874 = 98.19 %): the fixture has 1,874.
      transfer_success_rate_pct: '98.19',
      computed_at: undefined,
    });
  });

  it('GET …/trend', async () => {
    const { body } = await rest(`${REPORTS}/trend?from=2026-06-28&to=2026-06-29`);
    expect(body).toEqual({
      data: [
        { bucket: '2026-06-28', dialed: 1200, answered: 780, answer_rate_pct: '65.00', avg_duration_sec: 41, transfer_count: 460 },
        { bucket: '2026-06-29', dialed: 1612, answered: 1098, answer_rate_pct: '68.11', avg_duration_sec: 43, transfer_count: 642 },
      ],
    });
  });

  it('GET …/hangup', async () => {
    const { body } = await rest(`${REPORTS}/hangup`);
    expect(body).toEqual({
      data: {
        total_calls: 4823,
        by_hangup_cause: [
          { hangup_cause: 'NORMAL_CLEARING', count: 3120, pct: '64.69' },
          { hangup_cause: 'NO_ANSWER', count: 1234, pct: '25.59' },
          { hangup_cause: 'USER_BUSY', count: 287, pct: '5.95' },
          { hangup_cause: 'CALL_REJECTED', count: 95, pct: '1.97' },
          { hangup_cause: 'RECOVERY_ON_TIMER', count: 87, pct: '1.80' },
        ],
      },
    });
  });

  it('GET …/heatmap', async () => {
    const { body } = await rest(`${REPORTS}/heatmap`);
    expect(body.data).toHaveLength(168);
    const cell = (day: number, hour: number) => {
      const { day_of_week, hour: cellHour, dialed, answered, answer_rate_pct } = body.data[day * 24 + hour];
      return { day_of_week, hour: cellHour, dialed, answered, answer_rate_pct };
    };
    expect([cell(1, 9), cell(1, 10), cell(2, 14)]).toEqual([
      { day_of_week: 1, hour: 9, dialed: 156, answered: 102, answer_rate_pct: '65.38' },
      { day_of_week: 1, hour: 10, dialed: 178, answered: 121, answer_rate_pct: '67.98' },
      { day_of_week: 2, hour: 14, dialed: 201, answered: 134, answer_rate_pct: '66.67' },
    ]);
  });

  it('GET …/dtmf', async () => {
    const { body } = await rest(`${REPORTS}/dtmf`);
    expect(body).toEqual({
      data: {
        total_answered: 3120,
        with_dtmf_input: 3005,
        no_input: 115,
        no_input_rate_pct: '3.69',
        by_digit: [
          { digit: '1', count: 1840, pct: '61.23', label: 'Đồng ý chuyển agent' },
          { digit: '2', count: 950, pct: '31.61', label: 'Không quan tâm' },
          { digit: '0', count: 215, pct: '7.16', label: 'Nghe lại' },
        ],
        by_script_path: [
          { path: 'intro → press_1 → queue_sales', count: 1840 },
          { path: 'intro → press_2 → playback_polite → hangup', count: 950 },
        ],
      },
    });
  });

  it('GET …/funnel', async () => {
    const { body } = await rest(`${REPORTS}/funnel`);
    expect(body).toEqual({
      data: [
        { stage: 'Imported lead', count: 5000, drop_rate_pct: null },
        { stage: 'Dialed', count: 4823, drop_rate_pct: '3.54' },
        { stage: 'Answered', count: 3120, drop_rate_pct: '35.31' },
        { stage: 'Pressed valid DTMF', count: 3005, drop_rate_pct: '3.69' },
        { stage: 'Transferred to agent', count: 1840, drop_rate_pct: '38.77' },
        { stage: 'Agent disposed', count: 1640, drop_rate_pct: '10.87' },
      ],
    });
  });
});
