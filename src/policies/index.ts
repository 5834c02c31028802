/**
 * The policy registry: policy type -> { schema, create }. Adding a policy type is one
 * folder under src/policies/ plus one line here and one in src/config/policy-catalog.ts;
 * the mapped type below makes a missing line a type error.
 */
import { type PolicyOptions, type PolicyType, policyCatalog } from '../config/policy-catalog.ts';
import * as apiKeyAuth from './api-key-auth/policy.ts';
import * as basicAuth from './basic-auth/policy.ts';
import type { PolicyFactory } from './contract.ts';
import * as jwtAuth from './jwt-auth/policy.ts';
import * as mtlsAuth from './mtls-auth/policy.ts';
import * as oauthIntrospection from './oauth-introspection/policy.ts';
import * as quota from './quota/policy.ts';
import * as rateLimit from './rate-limit/policy.ts';
import * as requireConsumer from './require-consumer/policy.ts';
import * as setHeaders from './set-headers/policy.ts';

type Registry = {
  readonly [T in PolicyType]: {
    readonly schema: (typeof policyCatalog)[T]['schema'];
    readonly create: PolicyFactory<PolicyOptions<T>>;
  };
};

export const policies: Registry = {
  'api-key-auth': { schema: policyCatalog['api-key-auth'].schema, create: apiKeyAuth.create },
  'basic-auth': { schema: policyCatalog['basic-auth'].schema, create: basicAuth.create },
  'jwt-auth': { schema: policyCatalog['jwt-auth'].schema, create: jwtAuth.create },
  'mtls-auth': { schema: policyCatalog['mtls-auth'].schema, create: mtlsAuth.create },
  'oauth-introspection': {
    schema: policyCatalog['oauth-introspection'].schema,
    create: oauthIntrospection.create,
  },
  quota: { schema: policyCatalog.quota.schema, create: quota.create },
  'rate-limit': { schema: policyCatalog['rate-limit'].schema, create: rateLimit.create },
  'require-consumer': { schema: policyCatalog['require-consumer'].schema, create: requireConsumer.create },
  'set-headers': { schema: policyCatalog['set-headers'].schema, create: setHeaders.create },
};
