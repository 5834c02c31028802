/**
 * `api-key-auth`: the caller is the consumer of the Edgeway API key it presents
 * (src/config/api-keys.ts). A key with a bad checksum, or one of the wrong key set, is
 * refused before any I/O; a well-formed key is looked up by its SHA-256 in the isolate's
 * directory of KV records (src/identity/api-key-directory.ts), so no key is ever compared
 * or stored in clear, and timing reveals nothing about other keys. Expired and revoked
 * keys (a revoked key's record is deleted) are refused like unknown ones: the answer never
 * says which.
 */
import { type ApiKeyRecord, hashApiKey, type KeySet, keySetFor, parseApiKey } from '../../config/api-keys.ts';
import { problemResponse } from '../../config/problem.ts';
import { type Challenge, unauthorized } from '../../identity/challenges.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import { createCredentialReader } from '../../identity/credential-reader.ts';
import { createForwarder } from '../../identity/forwarding.ts';
import type { PolicyContext, PolicyFactory } from '../contract.ts';
import type { ApiKeyAuthOptions } from './schema.ts';

const KEY_SHAPE = { pattern: /^ew_[a-z]+_[0-9A-Za-z]+$/, maxLength: 64 };
/** Any query value shaped like an Edgeway key; checked only when the URL has a query. */
const KEY_IN_QUERY = /(?:^|[?&])[^=&]*=ew_(?:live|test)_/;
const INVALID_KEY = 'The API key is missing or not valid.';

type Refusal = 'missing' | 'malformed' | 'wrong-key-set' | 'unknown' | 'expired' | 'in-query';

export const create: PolicyFactory<ApiKeyAuthOptions> = (options, deps) => {
  const { key: location, queryParameter, allowAnonymous, stripCredentials } = options;
  const readHeader = createCredentialReader(location, KEY_SHAPE);
  const keySet: KeySet = options.keySet === 'environment' ? keySetFor(deps.environment) : options.keySet;
  const forward = createForwarder(options.forwardHeaders);
  const challenge: Challenge = {
    scheme: location.scheme || 'ApiKey',
    params: { realm: 'edgeway', ...(location.scheme ? {} : { header: location.header }) },
  };

  function refuse(ctx: PolicyContext, reason: Refusal): Response {
    ctx.log.info('api key refused', { policy: deps.name, reason });
    const detail =
      reason === 'in-query'
        ? `API keys are not accepted in the query string; send the key in the ${location.header} header.`
        : INVALID_KEY;
    return unauthorized(ctx.requestId, challenge, detail);
  }

  /** The key from the header, else from the allowed query parameter (removed from the URL). */
  function takeKey(
    request: Request,
  ): { key: string | undefined; request: Request } | 'malformed' | 'in-query' {
    const header = readHeader(request.headers);
    if (header.kind === 'malformed') return 'malformed';
    const search = request.url.indexOf('?');
    if (search < 0) return { key: header.kind === 'present' ? header.credential : undefined, request };
    const url = new URL(request.url);
    const fromQuery = queryParameter ? url.searchParams.get(queryParameter) : null;
    if (queryParameter && fromQuery !== null) {
      url.searchParams.delete(queryParameter);
      const stripped = new Request(url.href, request);
      return { key: header.kind === 'present' ? header.credential : fromQuery, request: stripped };
    }
    if (KEY_IN_QUERY.test(request.url.slice(search))) return 'in-query';
    return { key: header.kind === 'present' ? header.credential : undefined, request };
  }

  return {
    async inbound(incoming, ctx) {
      const taken = takeKey(incoming);
      if (taken === 'malformed' || taken === 'in-query') return refuse(ctx, taken);
      const { key, request } = taken;
      if (stripCredentials) request.headers.delete(location.header);
      if (key === undefined) {
        if (!allowAnonymous) return refuse(ctx, 'missing');
        forward(request.headers, undefined);
        return request;
      }
      const set = parseApiKey(key);
      if (set === undefined) return refuse(ctx, 'malformed');
      if (set !== keySet) return refuse(ctx, 'wrong-key-set');

      const lookup = await deps.apiKeys.lookUp(await hashApiKey(key));
      if (lookup.kind === 'unavailable') return keyStoreUnavailable(ctx.requestId);
      if (lookup.kind === 'unknown') return refuse(ctx, 'unknown');
      const { record } = lookup;
      if (record.keySet !== keySet) return refuse(ctx, 'wrong-key-set');
      if (record.expiresAt !== null && Date.parse(record.expiresAt) <= ctx.now())
        return refuse(ctx, 'expired');

      const consumer = consumerOf(record);
      ctx.data.set(CONSUMER, consumer);
      forward(request.headers, consumer);
      return request;
    },
  };
};

function consumerOf({ consumer, keyId }: ApiKeyRecord): Consumer {
  return {
    id: consumer.id,
    name: consumer.name,
    method: 'api-key',
    tags: consumer.tags,
    ...(consumer.plan === undefined ? {} : { plan: consumer.plan }),
    metadata: consumer.metadata,
    scopes: [],
    credentialId: keyId,
  };
}

/** KV cannot be read and this isolate has never seen the key: refusing is safe, 500 is not. */
function keyStoreUnavailable(requestId: string): Response {
  return problemResponse(
    {
      slug: 'credentials-unavailable',
      status: 503,
      title: 'Credentials cannot be checked',
      detail: 'The gateway cannot check API keys right now. Retry shortly.',
      requestId,
    },
    { 'retry-after': '5' },
  );
}
