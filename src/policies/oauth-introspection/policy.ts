/**
 * `oauth-introspection`: accepts requests whose OAuth 2.0 access token the authorization
 * server reports active (RFC 7662), and sets the consumer to the token's subject. The
 * token reader, the introspection client and its credentials, and the cache settings are
 * built once per deployment load; per request it reads the token, looks it up
 * (lookup.ts: cached, shared between concurrent requests) and checks the answer
 * (claims.ts).
 *
 * No token: 401 with a Bearer challenge without an error code (RFC 6750 §3.1). A token
 * that is not valid, for any reason: 401 `error="invalid_token"`, with the reason logged,
 * not told. The endpoint failing: what `onError` says, never a 500.
 */
import { problemResponse } from '../../config/problem.ts';
import { unauthorized } from '../../identity/challenges.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import { createCredentialReader } from '../../identity/credential-reader.ts';
import { createForwarder } from '../../identity/forwarding.ts';
import type { PolicyContext, PolicyFactory } from '../contract.ts';
import { consumerOf } from './claims.ts';
import { createIntrospector, type IntrospectionFailure } from './introspect.ts';
import { createLookup, type LookupSettings } from './lookup.ts';
import type { OauthIntrospectionOptions } from './schema.ts';

const MISSING = {
  challenge: { scheme: 'Bearer', params: { realm: 'edgeway' } },
  detail: 'A bearer token is required.',
};
const INVALID = {
  challenge: { scheme: 'Bearer', params: { realm: 'edgeway', error: 'invalid_token' } },
  detail: 'The bearer token is not valid.',
};
/** Opaque tokens are visible ASCII (RFC 6750's b64token fits); JWT access tokens stay well under the bound. */
const TOKEN_SHAPE = { pattern: /^[\x21-\x7e]+$/, maxLength: 16 * 1024 };
/** What 503 answers suggest to clients; the endpoint's own recovery time is unknown. */
const RETRY_AFTER_SECONDS = 5;

export const create: PolicyFactory<OauthIntrospectionOptions> = (options, { name }) => {
  const readToken = createCredentialReader(options.token, TOKEN_SHAPE);
  const lookUpToken = createLookup(lookupSettings(options), createIntrospector(options));
  const forwardConsumer = createForwarder(options.forwardHeaders);
  const rules = { audience: options.audience, subjectClaim: options.subjectClaim };

  function pass(request: Request, ctx: PolicyContext, consumer: Consumer | undefined): Request {
    if (consumer) ctx.data.set(CONSUMER, consumer);
    if (options.stripCredentials) request.headers.delete(options.token.header);
    forwardConsumer(request.headers, consumer);
    return request;
  }

  function endpointFailed(request: Request, ctx: PolicyContext, failure: IntrospectionFailure) {
    ctx.log.warn('oauth-introspection endpoint failed', {
      policy: name,
      onError: options.onError,
      ...failure,
    });
    if (options.onError === 'allow-anonymous') return pass(request, ctx, undefined);
    return problemResponse(
      {
        slug: 'authorization-server-unavailable',
        status: 503,
        title: 'Service Unavailable',
        detail: 'The bearer token cannot be checked right now; try again shortly.',
        requestId: ctx.requestId,
      },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }

  async function introspectBearerToken(request: Request, ctx: PolicyContext): Promise<Request | Response> {
    const reading = readToken(request.headers);
    if (reading.kind === 'absent') {
      if (!options.allowAnonymous) return unauthorized(ctx.requestId, MISSING.challenge, MISSING.detail);
      forwardConsumer(request.headers, undefined);
      return request;
    }
    if (reading.kind === 'malformed') {
      ctx.log.info('oauth-introspection refused a token', { policy: name, reason: 'malformed' });
      return unauthorized(ctx.requestId, INVALID.challenge, INVALID.detail);
    }
    const now = ctx.now();
    const lookup = await lookUpToken(reading.credential, now);
    if (lookup.kind === 'failed') return endpointFailed(request, ctx, lookup.failure);
    if (lookup.stale) ctx.log.warn('oauth-introspection served a cached result', { policy: name });
    const consumer = consumerOf(lookup.response, now, rules);
    if (!consumer.ok) {
      ctx.log.info('oauth-introspection refused a token', { policy: name, reason: consumer.error });
      return unauthorized(ctx.requestId, INVALID.challenge, INVALID.detail);
    }
    return pass(request, ctx, consumer.value);
  }

  return { inbound: introspectBearerToken };
};

function lookupSettings(options: OauthIntrospectionOptions): LookupSettings {
  const { maxActiveSeconds, inactiveSeconds, staleIfErrorSeconds } = options.cache;
  const staleSeconds = options.onError === 'allow-cached' ? staleIfErrorSeconds : 0;
  return {
    // Policies that differ in any of these keep apart entries, so each honours its own bounds.
    scope: JSON.stringify([
      options.endpoint,
      options.clientId,
      maxActiveSeconds,
      inactiveSeconds,
      staleSeconds,
    ]),
    maxActiveMs: maxActiveSeconds * 1000,
    inactiveMs: inactiveSeconds * 1000,
    staleMs: staleSeconds * 1000,
    timeoutMs: options.timeoutMs,
  };
}
