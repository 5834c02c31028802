/**
 * Asks the rate-limit zone and turns its failure into a value: a zone that throws, or
 * that the client gave up on after ZONE_TIMEOUT_MS (src/rate-limit/zone-client.ts), is
 * a failed answer for the policy's onError to decide on, never an exception that would
 * become a 500.
 */

export interface ZoneFailure {
  readonly kind: 'failed';
  readonly error: string;
}

export type ZoneAnswer<T> = { readonly kind: 'answered'; readonly value: T } | ZoneFailure;

export async function askZone<T>(call: () => Promise<T>): Promise<ZoneAnswer<T>> {
  try {
    return { kind: 'answered', value: await call() };
  } catch (error) {
    return { kind: 'failed', error: String(error) };
  }
}
