/** Progress is reported at every multiple of this many percent, so no step is larger. */
export const PROGRESS_STEP_PCT = 5;

/**
 * An export's progress as the share of its rows written (report sheets' rows and calls alike).
 * add() is called as rows are written; it reports each multiple of PROGRESS_STEP_PCT the count
 * crosses, in order, and stops short of 100, which only READY reports. Between steps it returns
 * undefined: a writer may await it after every row at the cost of a microtask.
 */
export class RowProgress {
  private written = 0;
  private reported = 0;

  constructor(
    private readonly total: number,
    private readonly report: (pct: number) => Promise<void>,
    /** Aborted: the next add() throws its reason, so a writer stops within a row. */
    private readonly stop?: AbortSignal,
  ) {}

  add(rows: number): Promise<void> | undefined {
    this.stop?.throwIfAborted();
    this.written += rows;
    const reached = Math.min(100 - PROGRESS_STEP_PCT, Math.floor((this.written * 100) / Math.max(this.total, 1) / PROGRESS_STEP_PCT) * PROGRESS_STEP_PCT);
    return reached > this.reported ? this.reportUpTo(reached) : undefined;
  }

  private async reportUpTo(reached: number): Promise<void> {
    while (this.reported < reached) await this.report((this.reported += PROGRESS_STEP_PCT));
  }
}
