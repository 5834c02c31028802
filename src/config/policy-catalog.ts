/**
 * Every policy type the compiler accepts: its options schema and the phases it can run
 * in. The control plane compiles against this; src/policies/index.ts pairs each entry
 * with its runtime factory and fails to typecheck if one is missing.
 */
import type { z } from 'zod';
import { apiKeyAuthSchema } from '../policies/api-key-auth/schema.ts';
import { basicAuthSchema } from '../policies/basic-auth/schema.ts';
import { jwtAuthSchema } from '../policies/jwt-auth/schema.ts';
import { mtlsAuthSchema } from '../policies/mtls-auth/schema.ts';
import { oauthIntrospectionSchema } from '../policies/oauth-introspection/schema.ts';
import { quotaSchema } from '../policies/quota/schema.ts';
import { rateLimitSchema } from '../policies/rate-limit/schema.ts';
import { requireConsumerSchema } from '../policies/require-consumer/schema.ts';
import { setHeadersSchema } from '../policies/set-headers/schema.ts';

export type PolicyPhase = 'inbound' | 'outbound';

export interface PolicyCatalogEntry {
  readonly schema: z.ZodType;
  readonly phases: readonly PolicyPhase[];
}

export const policyCatalog = {
  'api-key-auth': { schema: apiKeyAuthSchema, phases: ['inbound'] },
  'basic-auth': { schema: basicAuthSchema, phases: ['inbound'] },
  'jwt-auth': { schema: jwtAuthSchema, phases: ['inbound'] },
  'mtls-auth': { schema: mtlsAuthSchema, phases: ['inbound'] },
  'oauth-introspection': { schema: oauthIntrospectionSchema, phases: ['inbound'] },
  quota: { schema: quotaSchema, phases: ['inbound', 'outbound'] },
  'rate-limit': { schema: rateLimitSchema, phases: ['inbound', 'outbound'] },
  'require-consumer': { schema: requireConsumerSchema, phases: ['inbound'] },
  'set-headers': { schema: setHeadersSchema, phases: ['inbound', 'outbound'] },
} as const satisfies Record<string, PolicyCatalogEntry>;

export type PolicyType = keyof typeof policyCatalog;
export type PolicyOptions<T extends PolicyType> = z.output<(typeof policyCatalog)[T]['schema']>;

export function isPolicyType(type: string): type is PolicyType {
  return Object.hasOwn(policyCatalog, type);
}
