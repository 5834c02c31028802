/**
 * Structured error logs: one JSON line per event, tagged with the request id so a 500
 * problem a client reports can be found. The only place the control plane writes logs.
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
