import type { ExportWorker } from './worker.js';
import { errorField, logger } from '../logging/logger.js';

/** How often lapsed downloads are expired, old files deleted, and jobs whose worker died queued again. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The housekeeping of a process that runs export jobs: queues the jobs waiting in PostgreSQL at once,
 * then every minute sweeps (expiry, old files, stray files) and queues again the jobs whose worker
 * died. `pollMs`: look for new jobs this often as well (a worker without Redis learns of jobs only
 * from PostgreSQL). Returns the function that stops it.
 */
export async function startHousekeeping(worker: ExportWorker, { pollMs }: { pollMs?: number } = {}): Promise<() => void> {
  await worker.resume();
  const failed = (error: unknown) => logger.error({ error: errorField(error) }, 'export housekeeping failed');
  const timers = [setInterval(() => void Promise.all([worker.sweep(), worker.resume()]).catch(failed), SWEEP_INTERVAL_MS)];
  if (pollMs) timers.push(setInterval(() => void worker.resume().catch(failed), pollMs));
  for (const timer of timers) timer.unref();
  return () => timers.forEach(clearInterval);
}
