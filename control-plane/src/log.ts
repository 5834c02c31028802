/**
 * Structured logs: one JSON line per event. Errors of a request are tagged with its id so
 * a 500 problem a client reports can be found; work outside a request (the Queue
 * consumer, the cron trigger) logs lines of its own. The only place the control plane
 * writes logs.
 */

export type Logger = (message: string, error?: unknown) => void;

export function requestLogger(requestId: string): Logger {
  return (message, error) => {
    const cause =
      error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
    console.error(
      JSON.stringify({ level: 'error', requestId, message, ...(error === undefined ? {} : cause) }),
    );
  };
}

/** A line for work that is not a request: the analytics Queue consumer, the cron trigger. */
export function logLine(
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
