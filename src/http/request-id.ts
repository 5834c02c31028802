/**
 * The request id: taken from the client's `X-Request-Id` when it is a safe token (so
 * a caller can correlate its own logs), generated otherwise. It is sent upstream,
 * returned to the client and put in every log line and problem body.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER);
  return incoming !== null && ACCEPTED_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}
