/**
 * Fetch standard "null body status": a Response with one of these statuses cannot be
 * constructed with a body (the runtime throws), so handlers drop the body for them.
 */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

export function isNullBodyStatus(status: number): boolean {
  return NULL_BODY_STATUSES.has(status);
}
