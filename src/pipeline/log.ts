/**
 * Loggers. The gateway writes one JSON object per line to the console, which Workers
 * Logs and `wrangler tail` index by field; per-request loggers add the request id.
 */
import type { Logger } from '../policies/contract.ts';

type Fields = Record<string, unknown>;

function line(level: string, message: string, fields?: Fields): string {
  return JSON.stringify({ level, message, ...fields });
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(line('info', message, fields)),
  warn: (message, fields) => console.warn(line('warn', message, fields)),
  error: (message, fields) => console.error(line('error', message, fields)),
};

export function withFields(log: Logger, bound: Fields): Logger {
  return {
    info: (message, fields) => log.info(message, { ...bound, ...fields }),
    warn: (message, fields) => log.warn(message, { ...bound, ...fields }),
    error: (message, fields) => log.error(message, { ...bound, ...fields }),
  };
}
