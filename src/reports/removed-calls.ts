import { InvalidArgumentError } from './errors.js';

/**
 * What retention (npm run retention) removed of a campaign's raw calls: every call started before
 * `before`; the first and last of them started at `first` and `last`. Its rollups still count them,
 * so a report over whole quarter hours answers as before; one that would read removed raw calls
 * (a bound within a quarter hour, a FULL export's call list) is refused instead of miscounting.
 */
export interface RemovedCalls {
  first: Date;
  last: Date;
  before: Date;
}

/** The campaign's removed calls; none when retention removed nothing of it. */
export function removedCallsOf(campaign: { callsRemovedFirst: Date | null; callsRemovedLast: Date | null; callsRemovedBefore: Date | null }): RemovedCalls | undefined {
  const { callsRemovedFirst: first, callsRemovedLast: last, callsRemovedBefore: before } = campaign;
  return first && last && before ? { first, last, before } : undefined;
}

/** Whether raw calls started in [from, to) include removed ones. */
export const includesRemoved = (removed: RemovedCalls | undefined, from: number, to: number) =>
  removed !== undefined && from < to && from <= removed.last.getTime() && to > removed.first.getTime();

const QUARTER_HOURS = 'Reports over whole quarter hours still answer from the rollups: use bounds on :00, :15, :30 or :45.';

/** The error for a report that would read removed calls started in [from, to), by the argument that asks for them. */
export function removedCallsNeeded(argumentName: string, campaignId: number, removed: RemovedCalls, from: number, to: number, hint = QUARTER_HOURS): InvalidArgumentError {
  const instant = (time: number) => new Date(time).toISOString();
  return new InvalidArgumentError(
    argumentName,
    `needs campaign ${campaignId}'s raw calls started from ${instant(Math.max(from, removed.first.getTime()))} to ${instant(Math.min(to, removed.last.getTime() + 1))}, ` +
      `and its calls started before ${instant(removed.before.getTime())} were removed (retention). ${hint}`,
  );
}

/** Refuses a FULL export whose list of calls, [from, to), would miss removed ones. */
export function checkCallList(campaign: Parameters<typeof removedCallsOf>[0] & { id: number }, window: { from: Date; to: Date }): void {
  const removed = removedCallsOf(campaign);
  const [from, to] = [window.from.getTime(), window.to.getTime()];
  if (includesRemoved(removed, from, to)) {
    throw removedCallsNeeded('from', campaign.id, removed!, from, to, `A FULL export lists every call: export days from ${removed!.before.toISOString().slice(0, 10)} on, or the reports alone (their sheets come from the rollups).`);
  }
}
