import { call, campaign, lead } from './fixtures.js';
import { ndjson } from './testkit.js';

const answered = { result: 'answered', hangup_cause: 'NORMAL_CLEARING', transfer: null, disposition: null };
const unanswered = (result: string, cause: string) => ({
  result, hangup_cause: cause, answered_at: null, billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
});
const at = (startedAt: string, extra: object) => ({ started_at: startedAt, answered_at: null, ended_at: startedAt, ...extra });
const PRESS_1 = ['intro', 'press_1', 'queue_sales'];

/**
 * Campaign 5: ten attempts by five leads in the first week of June 2026 (Hồ Chí Minh City is UTC+7,
 * June 1 is a Monday). Campaign 8 has no calls at all; campaign 20 dials New York around both DST
 * changes of 2026; campaign 12 belongs to another tenant. Expected values are worked out by hand in
 * the report tests.
 */
export const REPORT_FIXTURE = ndjson(
  campaign(5, 'Renewal Q3'),
  campaign(8, 'Cross-sell Q3'),
  campaign(20, 'New York pilot', 'acme', { started_at: '2026-03-01T00:00:00Z' }),
  campaign(12, 'Win-back churned', 'globex'),
  ...['L-1', 'L-2', 'L-3', 'L-4', 'L-5'].map((id) => lead(id, 5)),
  lead('L-6', 5, { imported_at: '2026-07-15T00:00:00Z' }),
  lead('L-20', 20),
  lead('L-12', 12),
  call('C-1', 5, 'L-1', at('2026-06-01T02:00:00Z', { ...answered, billsec: 42, dtmf: '1', script_path: PRESS_1, transfer: { queue: 'sales', status: 'success' }, disposition: 'interested' })),
  call('C-2', 5, 'L-2', at('2026-06-01T02:30:00Z', unanswered('no_answer', 'NO_ANSWER'))),
  call('C-3', 5, 'L-2', at('2026-06-02T03:00:00Z', { ...answered, billsec: 30, dtmf: '2', script_path: ['intro', 'press_2', 'playback_polite', 'hangup'] })),
  call('C-4', 5, 'L-3', at('2026-06-02T03:10:00Z', unanswered('busy', 'USER_BUSY'))),
  call('C-5', 5, 'L-4', at('2026-06-02T17:30:00Z', { ...answered, billsec: 61, dtmf: '9', script_path: ['intro', 'invalid_input', 'hangup'] })),
  call('C-6', 5, 'L-5', at('2026-06-03T02:00:00Z', { ...answered, billsec: 50, dtmf: '1', script_path: PRESS_1, transfer: { queue: 'sales', status: 'failed' } })),
  call('C-7', 5, 'L-1', at('2026-06-03T04:00:00Z', { ...answered, billsec: 20, dtmf: null, script_path: ['intro', 'no_input', 'hangup'] })),
  call('C-8', 5, 'L-3', at('2026-06-05T01:00:00Z', unanswered('failed', 'CALL_REJECTED'))),
  call('C-9', 5, 'L-5', at('2026-06-05T02:00:00Z', { ...answered, billsec: 45, dtmf: '1', script_path: PRESS_1, transfer: { queue: 'sales', status: 'success' } })),
  call('C-10', 5, 'L-4', at('2026-06-06T02:00:00Z', unanswered('abandoned', 'ORIGINATOR_CANCEL'))),
  call('D-1', 20, 'L-20', at('2026-11-01T05:30:00Z', { ...answered, billsec: 10, dtmf: '1', script_path: PRESS_1 })),
  call('D-2', 20, 'L-20', at('2026-11-01T06:30:00Z', unanswered('no_answer', 'NO_ANSWER'))),
  call('D-3', 20, 'L-20', at('2026-11-01T06:45:00Z', { ...answered, billsec: 21, dtmf: '2', script_path: null })),
  call('D-4', 20, 'L-20', at('2026-03-08T07:30:00Z', unanswered('busy', 'USER_BUSY'))),
  call('G-1', 12, 'L-12', at('2026-06-01T02:00:00Z', { ...answered, billsec: 99 })),
);
