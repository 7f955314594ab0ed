import type { Database } from './client.js';
import { flushAsyncCommits } from './maintenance.js';
import { errorField, logger } from '../logging/logger.js';

/** How long after a write the VACUUM waits: the writes that follow join it, and their WAL is flushed by then. */
const SETTLE_MS = 2_000;
/** The least time between two VACUUMs, and at least ten times the last one took: at most a tenth of a connection's time. */
const MIN_SPACING_MS = 5_000;
const SPACING_FACTOR = 10;

export interface VisibilityKeeper {
  /** Tells it that rows of the call or lead tables were written and committed. */
  wrote(): void;
  /** Cancels a VACUUM not yet started and waits for a running one. */
  stop(): Promise<void>;
}

/**
 * Keeps the visibility map of the tables live ingest writes (call_attempt and lead) current, so that
 * reports keep reading their covering indexes alone. A live ingest puts its rows wherever the free
 * space map finds room, which is all over the old pages, and every page it touches stops being
 * all-visible: the index-only scans then fetch heap pages for those rows (the bench's week funnel
 * fetched 59,437 of 272,195 rows from the heap after 32,684 one-call ingests, 543 ms instead of 399).
 * Autovacuum waits for a fifth of a table to be new before it looks. A VACUUM reads only the pages
 * that are not all-visible, 0.3-0.5 s for that damage on a 1,000,000-call table, so the gateway runs
 * one a little after writes, spaced out so that it costs little however steady the stream.
 * PostgreSQL only: the embedded database runs one statement at a time and holds demo-sized data.
 * `vacuumed` hears how long each VACUUM took (a metric).
 */
export function keepVisibility(db: Database, vacuumed?: (seconds: number) => void): VisibilityKeeper {
  if (db.kind !== 'postgres') return { wrote() {}, stop: async () => {} };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = false;
  let stopped = false;
  let notBefore = 0;

  const schedule = () => {
    if (timer || running || stopped) return;
    timer = setTimeout(vacuum, Math.max(SETTLE_MS, notBefore - Date.now()));
    timer.unref();
  };
  const vacuum = () => {
    timer = undefined;
    pending = false;
    const started = Date.now();
    running = flushAsyncCommits(db)
      .then(() => db.prisma.$executeRawUnsafe('VACUUM (SKIP_LOCKED) call_attempt, lead'))
      .then(
        () => vacuumed?.((Date.now() - started) / 1000),
        (error: Error) => logger.warn({ error: errorField(error) }, 'VACUUM after live writes failed (reports read more of the heap until the next)'),
      )
      .finally(() => {
        running = undefined;
        notBefore = Date.now() + Math.max(MIN_SPACING_MS, SPACING_FACTOR * (Date.now() - started));
        if (pending) schedule();
      });
  };
  return {
    wrote() {
      pending = true;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
