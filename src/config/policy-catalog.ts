/**
 * Every policy type the compiler accepts: its options schema and the phases it can run
 * in. The control plane compiles against this; src/policies/index.ts pairs each entry
 * with its runtime factory and fails to typecheck if one is missing.
 */
import type { z } from 'zod';
import { setHeadersSchema } from '../policies/set-headers/schema.ts';

export type PolicyPhase = 'inbound' | 'outbound';

export interface PolicyCatalogEntry {
  readonly schema: z.ZodType;
  readonly phases: readonly PolicyPhase[];
}

export const policyCatalog = {
  'set-headers': { schema: setHeadersSchema, phases: ['inbound', 'outbound'] },
} as const satisfies Record<string, PolicyCatalogEntry>;

export type PolicyType = keyof typeof policyCatalog;
export type PolicyOptions<T extends PolicyType> = z.output<(typeof policyCatalog)[T]['schema']>;

export function isPolicyType(type: string): type is PolicyType {
  return Object.hasOwn(policyCatalog, type);
}
