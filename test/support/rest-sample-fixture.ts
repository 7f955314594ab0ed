import { call, campaign, lead } from './fixtures.js';
import { ndjson } from './testkit.js';

/**
 * Campaign 5 as the REST document's samples show it: 5,000 leads, 4,823 of them dialed once each in
 * June 2026. Each slot below is a local hour in Hồ Chí Minh City (UTC+7) with its calls, answered
 * calls and successful transfers; the totals are the document's kpis, its trend days June 28 and 29,
 * and its heatmap cells (Monday 9:00 and 10:00, Tuesday 14:00):
 *
 *   Sunday June 28, 11:00       1,200 calls,   780 answered, 460 transferred, billsec 41
 *   Monday June 29,  9:00         156 calls,   102 answered,  60 transferred, billsec 43
 *   Monday June 29, 10:00         178 calls,   121 answered,  70 transferred, billsec 43
 *   Monday June 29, 11:00       1,278 calls,   875 answered, 512 transferred, billsec 43
 *   Tuesday June 30, 14:00        201 calls,   134 answered,  34 transferred, billsec 42
 *   Wednesday June 24, 15:00    1,810 calls, 1,108 answered, 704 transferred, billsec 42 (790) or 41 (318)
 *
 * Answered calls that were not transferred pressed 2 (950), 0 (215) or nothing (115), in that order;
 * the first 34 that pressed 0 have a failed transfer. Unanswered calls are no_answer (1,234), busy
 * (287), failed by CALL_REJECTED (95) or RECOVERY_ON_TIMER (87), in that order. The first 1,640
 * successful transfers carry a disposition.
 */
const SLOTS = [
  { start: '2026-06-28T04:00:00Z', calls: 1200, answered: 780, transferred: 460, billsec: () => 41 },
  { start: '2026-06-29T02:00:00Z', calls: 156, answered: 102, transferred: 60, billsec: () => 43 },
  { start: '2026-06-29T03:00:00Z', calls: 178, answered: 121, transferred: 70, billsec: () => 43 },
  { start: '2026-06-29T04:00:00Z', calls: 1278, answered: 875, transferred: 512, billsec: () => 43 },
  { start: '2026-06-30T07:00:00Z', calls: 201, answered: 134, transferred: 34, billsec: () => 42 },
  { start: '2026-06-24T08:00:00Z', calls: 1810, answered: 1108, transferred: 704, billsec: (n: number) => (n < 790 ? 42 : 41) },
];

const pool = <T>(...groups: [T, number][]) => groups.flatMap(([value, times]) => Array<T>(times).fill(value));

export function restSampleRecords(): string[] {
  const others = pool<'2' | '0' | null>(['2', 950], ['0', 215], [null, 115]);
  const unanswered = pool(
    [{ result: 'no_answer', hangup_cause: 'NO_ANSWER' }, 1234],
    [{ result: 'busy', hangup_cause: 'USER_BUSY' }, 287],
    [{ result: 'failed', hangup_cause: 'CALL_REJECTED' }, 95],
    [{ result: 'failed', hangup_cause: 'RECOVERY_ON_TIMER' }, 87],
  );
  let failedTransfers = 34;
  let dispositions = 1640;
  let leadNumber = 0;
  const calls: object[] = [];
  for (const slot of SLOTS) {
    for (let n = 0; n < slot.calls; n += 1) {
      leadNumber += 1;
      // A second apart, all inside the slot's hour.
      const startedAt = new Date(Date.parse(slot.start) + n * 1000);
      const at = (seconds: number) => new Date(startedAt.getTime() + seconds * 1000).toISOString();
      const base = { started_at: startedAt.toISOString() };
      if (n >= slot.answered) {
        calls.push(call(`C-${leadNumber}`, 5, `L-${leadNumber}`, {
          ...base, ...unanswered.shift()!, answered_at: null, ended_at: at(30), billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
        }));
        continue;
      }
      const billsec = slot.billsec(n);
      const answered = { ...base, result: 'answered', hangup_cause: 'NORMAL_CLEARING', answered_at: at(5), ended_at: at(5 + billsec), billsec };
      if (n < slot.transferred) {
        calls.push(call(`C-${leadNumber}`, 5, `L-${leadNumber}`, {
          ...answered, dtmf: '1', script_path: ['intro', 'press_1', 'queue_sales'], transfer: { queue: 'sales', status: 'success' },
          disposition: dispositions-- > 0 ? 'interested' : null,
        }));
        continue;
      }
      const dtmf = others.shift()!;
      const failed = dtmf === '0' && failedTransfers-- > 0;
      calls.push(call(`C-${leadNumber}`, 5, `L-${leadNumber}`, {
        ...answered, dtmf,
        script_path: dtmf === '2' ? ['intro', 'press_2', 'playback_polite', 'hangup'] : null,
        transfer: failed ? { queue: 'sales', status: 'failed' } : null,
        disposition: null,
      }));
    }
  }
  const leads = Array.from({ length: 5000 }, (_, index) => lead(`L-${index + 1}`, 5));
  return ndjson(campaign(5, 'Renewal Q3'), ...leads, ...calls);
}
