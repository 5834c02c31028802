/**
 * One introspection request (RFC 7662 §2.1): POST the token as a form to the endpoint,
 * authenticated with the gateway's client credentials, and read the JSON answer. Every
 * way the endpoint can fail (no answer in time, a network error, a status other than
 * 200, a body that is not a JSON object with a boolean `active`) is a failure value for
 * the policy's onError, never an exception. Headers and credentials are built once.
 */
import { err, ok, type Result } from '../../config/result.ts';
import type { OauthIntrospectionOptions } from './schema.ts';

/** The endpoint's answer: `active` and whatever members it sent (RFC 7662 §2.2). */
export type IntrospectionResponse = Readonly<Record<string, unknown>> & { readonly active: boolean };

export type IntrospectionFailure =
  | { readonly reason: 'timeout' }
  | { readonly reason: 'unreachable'; readonly message: string }
  | { readonly reason: 'status'; readonly status: number }
  | { readonly reason: 'malformed' };

export type Introspect = (token: string) => Promise<Result<IntrospectionResponse, IntrospectionFailure>>;

/** Answers are small JSON objects; a longer body is not one. */
const MAX_RESPONSE_CHARS = 64 * 1024;

type ClientOptions = Pick<
  OauthIntrospectionOptions,
  'endpoint' | 'clientId' | 'clientSecret' | 'clientAuth' | 'timeoutMs'
>;

export function createIntrospector(options: ClientOptions): Introspect {
  const { endpoint, timeoutMs } = options;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  const formCredentials: Record<string, string> = {};
  if (options.clientAuth === 'client_secret_basic') {
    // RFC 6749 §2.3.1: each part is form-urlencoded before they are joined and encoded.
    const pair = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    headers.authorization = `Basic ${btoa(pair)}`;
  } else {
    formCredentials.client_id = options.clientId;
    formCredentials.client_secret = options.clientSecret;
  }

  return async function introspect(token) {
    const body = new URLSearchParams({ token, token_type_hint: 'access_token', ...formCredentials });
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return err(fetchFailure(error));
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return err({ reason: 'status', status: response.status });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return err(fetchFailure(error));
    }
    return parseIntrospection(text);
  };
}

function parseIntrospection(text: string): Result<IntrospectionResponse, IntrospectionFailure> {
  if (text.length > MAX_RESPONSE_CHARS) return err({ reason: 'malformed' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err({ reason: 'malformed' });
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject || typeof (value as { active?: unknown }).active !== 'boolean') {
    return err({ reason: 'malformed' });
  }
  return ok(value as IntrospectionResponse);
}

function fetchFailure(error: unknown): IntrospectionFailure {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return { reason: 'timeout' };
  return { reason: 'unreachable', message: String(error) };
}

/** application/x-www-form-urlencoded for one value (spaces as +). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}
