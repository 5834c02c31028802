/**
 * `jwt-auth`: accepts a request carrying a valid JWT and makes its subject the request's
 * consumer. The token reader, key source, verification rules, claim mapping and header
 * forwarder are built once per deployment load; per request it reads the token,
 * verifies it and either sets the consumer or answers 401. Every refusal of a present
 * token looks the same to the client (RFC 6750 §3.1 `invalid_token`); the log says why.
 */
import { err } from '../../config/result.ts';
import { type Challenge, unauthorized } from '../../identity/challenges.ts';
import { CONSUMER } from '../../identity/consumer.ts';
import { createCredentialReader } from '../../identity/credential-reader.ts';
import { createForwarder } from '../../identity/forwarding.ts';
import type { PolicyFactory } from '../contract.ts';
import { createConsumerOfClaims } from './consumer.ts';
import { jwtFailure } from './failure.ts';
import { remoteKeyResolver } from './jwks-cache.ts';
import type { JwtAuthOptions } from './schema.ts';
import { staticKeyResolver } from './static-keys.ts';
import { tokenRules, verifyToken } from './verify-token.ts';

/** RFC 6750 §3.1: a request without credentials gets a challenge with no error code. */
const TOKEN_REQUIRED: Challenge = { scheme: 'Bearer', params: { realm: 'edgeway' } };
const TOKEN_INVALID: Challenge = { scheme: 'Bearer', params: { realm: 'edgeway', error: 'invalid_token' } };
/** No JWT in use comes near 16 KB; a longer one is refused before it is decoded. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
const TOKEN_SHAPE = { pattern: /^[A-Za-z0-9._~+/=-]+$/, maxLength: MAX_TOKEN_LENGTH };
const TOKEN_REQUIRED_DETAIL = 'A bearer token is required.';
const TOKEN_INVALID_DETAIL = 'The bearer token is not valid.';

export const create: PolicyFactory<JwtAuthOptions> = (options, { name }) => {
  const readToken = createCredentialReader(options.token, TOKEN_SHAPE);
  const resolveKey =
    options.jwksUrl !== undefined
      ? remoteKeyResolver(options.jwksUrl, options.jwks)
      : staticKeyResolver(options.keys ?? { publicKeys: [] });
  const rules = tokenRules(options, resolveKey);
  const consumerOfClaims = createConsumerOfClaims(options.subjectClaim, options.scopesClaim);
  const forwardConsumer = createForwarder(options.forwardHeaders);

  return {
    inbound: async function authenticateJwt(request, ctx) {
      const credential = readToken(request.headers);
      if (credential.kind === 'absent') {
        if (!options.allowAnonymous)
          return unauthorized(ctx.requestId, TOKEN_REQUIRED, TOKEN_REQUIRED_DETAIL);
        forwardConsumer(request.headers, undefined);
        return request;
      }
      const verified =
        credential.kind === 'present'
          ? await verifyToken(credential.credential, rules, ctx)
          : err(jwtFailure(credential.reason === 'too-long' ? 'token-too-long' : 'token-malformed'));
      const consumer = verified.ok ? consumerOfClaims(verified.value) : verified;
      if (!consumer.ok) {
        ctx.log.info('jwt-auth refused a token', { policy: name, ...consumer.error });
        return unauthorized(ctx.requestId, TOKEN_INVALID, TOKEN_INVALID_DETAIL);
      }
      ctx.data.set(CONSUMER, consumer.value);
      forwardConsumer(request.headers, consumer.value);
      return request;
    },
  };
};
