import pino, { type Logger } from 'pino';
import { LOG_LEVELS } from '../config.js';

export type { Logger };

const REDACT = { paths: ['authorization', '*.authorization', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' };

const level = LOG_LEVELS.includes(process.env.LOG_LEVEL as never) ? process.env.LOG_LEVEL! : 'info';
const pretty = (destination: 1 | 2, least: string) => ({ target: 'pino-pretty', level: least, options: { destination, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } });

/**
 * The process's logger: JSON lines (one object per line, pino's shape) on stdout, fatal ones (a start
 * that fails, the last words of a process) on stderr; read by a person at a terminal, the same lines
 * made readable by pino-pretty. LOG_LEVEL sets the least level written (default info). Objects are
 * never logged whole where they may hold a token or variables: the fields are chosen by the caller,
 * and `authorization` is redacted wherever it appears.
 */
export const logger: Logger = pino(
  { level, redact: REDACT },
  process.stdout.isTTY
    ? pino.transport({ dedupe: true, targets: [pretty(1, 'trace'), pretty(2, 'fatal')] })
    : pino.multistream(
        [
          { level: 'trace', stream: pino.destination({ fd: 1, sync: true }) },
          { level: 'fatal', stream: pino.destination({ fd: 2, sync: true }) },
        ],
        { dedupe: true },
      ),
);

/** An error as a log field: its message and (at debug) its stack, without the objects it may carry. */
export const errorField = (error: unknown) =>
  error instanceof Error ? { message: error.message, ...(logger.isLevelEnabled('debug') ? { stack: error.stack } : {}) } : { message: String(error) };
