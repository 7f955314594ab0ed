import { errorField, logger } from '../logging/logger.js';

/**
 * Runs `stop` on the first SIGINT or SIGTERM, then exits 0; a second signal while it runs exits 1 at
 * once. `stop` says what it does in its own log line.
 */
export function stopOnSignal(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: stopping now`);
      process.exit(1);
    }
    stopping = true;
    await stop(signal);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Runs a process's main; if it fails, its message is the process's last (fatal) line and the exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    logger.fatal({ error: errorField(error) }, error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
