/**
 * The policy registry: policy type -> { schema, create }. Adding a policy type is one
 * folder under src/policies/ plus one line here and one in src/config/policy-catalog.ts;
 * the mapped type below makes a missing line a type error.
 */
import { type PolicyOptions, type PolicyType, policyCatalog } from '../config/policy-catalog.ts';
import type { PolicyFactory } from './contract.ts';
import * as setHeaders from './set-headers/policy.ts';

type Registry = {
  readonly [T in PolicyType]: {
    readonly schema: (typeof policyCatalog)[T]['schema'];
    readonly create: PolicyFactory<PolicyOptions<T>>;
  };
};

export const policies: Registry = {
  'set-headers': { schema: policyCatalog['set-headers'].schema, create: setHeaders.create },
};
