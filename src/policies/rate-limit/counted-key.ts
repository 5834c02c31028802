/**
 * What a request is counted by, read per request from what the policy's `key` option
 * names: the client IP, the consumer an auth policy set, its API key, one of its claims,
 * a request header, or the route. A request that lacks the consumer, key, claim or header
 * is counted by its client IP instead, so leaving it out never escapes the limit. The
 * kind is part of the zone key, so a header value can never share a count with an IP.
 */
import { CONSUMER } from '../../identity/consumer.ts';
import type { PolicyContext } from '../contract.ts';
import { clientAddressKey } from './client-ip.ts';
import type { RateLimitKey } from './schema.ts';

export interface CountedKey {
  readonly kind: RateLimitKey['by'];
  /** Not yet bounded in length: a header or claim is whatever the client or issuer sent. */
  readonly value: string;
}

export type KeyReader = (request: Request, ctx: PolicyContext) => CountedKey;

/** Requests without CF-Connecting-IP (not from Cloudflare's edge: local tools, tests) share this key. */
const UNKNOWN_CLIENT = 'unknown';

function clientIp(request: Request, ctx: PolicyContext): CountedKey {
  const address = request.headers.get('cf-connecting-ip');
  const value = address === null ? undefined : clientAddressKey(address);
  if (value === undefined) {
    ctx.log.info('rate-limit: no usable CF-Connecting-IP; counting the request as an unknown client', {
      present: address !== null,
    });
  }
  return { kind: 'ip', value: value ?? UNKNOWN_CLIENT };
}

/** A claim that can name a count: a non-empty string or a finite number. */
function claimText(claim: unknown): string | undefined {
  if (typeof claim === 'string' && claim !== '') return claim;
  if (typeof claim === 'number' && Number.isFinite(claim)) return String(claim);
  return undefined;
}

export function createKeyReader(key: RateLimitKey): KeyReader {
  switch (key.by) {
    case 'ip':
      return clientIp;
    case 'route':
      return (_request, ctx) => ({ kind: 'route', value: ctx.route.id });
    case 'consumer':
      return (request, ctx) => {
        const consumer = ctx.data.get(CONSUMER);
        return consumer ? { kind: 'consumer', value: consumer.id } : clientIp(request, ctx);
      };
    case 'api-key':
      return (request, ctx) => {
        const credentialId = ctx.data.get(CONSUMER)?.credentialId;
        return credentialId ? { kind: 'api-key', value: credentialId } : clientIp(request, ctx);
      };
    case 'claim': {
      const name = key.claim;
      return (request, ctx) => {
        const value = claimText(ctx.data.get(CONSUMER)?.claims?.[name]);
        return value === undefined ? clientIp(request, ctx) : { kind: 'claim', value };
      };
    }
    case 'header': {
      const name = key.header;
      return (request, ctx) => {
        const value = request.headers.get(name)?.trim();
        return value ? { kind: 'header', value } : clientIp(request, ctx);
      };
    }
  }
}
