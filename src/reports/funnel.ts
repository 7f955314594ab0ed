import type { FunnelCounts } from '../data/report-queries.js';
import { percentage } from './percent.js';

const STAGES: [keyof FunnelCounts, string][] = [
  ['imported', 'Imported lead'],
  ['dialed', 'Dialed'],
  ['answered', 'Answered'],
  ['pressedValidDtmf', 'Pressed valid DTMF'],
  ['transferred', 'Transferred to agent'],
  ['disposed', 'Agent disposed'],
];

/** The six stages with each one's drop against the stage before (null for the first). */
export function buildFunnel(counts: FunnelCounts) {
  return STAGES.map(([field, stage], index) => {
    const count = counts[field];
    const previous = index === 0 ? null : counts[STAGES[index - 1]![0]];
    return { stage, count, dropRatePct: previous === null ? null : percentage(previous - count, previous) };
  });
}
