/**
 * A policy instance in edgeway.yaml: a named, configured use of a policy type. The schema
 * is a union keyed on `type`, built from the policy catalog, so each type's options are
 * validated (and documented in the JSON Schema) by that type's own schema.
 */
import { z } from 'zod';
import { PolicyModeSchema } from './compiled.ts';
import { policyCatalog } from './policy-catalog.ts';

const POLICY_TYPES = Object.keys(policyCatalog).join(', ');

function policyVariant(type: string, schema: z.ZodType) {
  return z
    .strictObject({
      type: z.literal(type).describe('The policy type.'),
      mode: PolicyModeSchema.default('enforce').describe(
        'enforce: the policy acts. report: it records what it would have done and lets the request pass.',
      ),
      options: schema.prefault({}).describe(`Options of the ${type} policy.`),
    })
    .describe(schema.description ?? type);
}

const [first, ...rest] = Object.entries(policyCatalog).map(([type, entry]) =>
  policyVariant(type, entry.schema),
);

export const PolicySchema = z
  .discriminatedUnion('type', [first!, ...rest], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const type = (issue.input as { type?: unknown } | undefined)?.type;
      return type === undefined
        ? `missing required key "type"; expected one of: ${POLICY_TYPES}`
        : `unknown policy type ${JSON.stringify(type)}; expected one of: ${POLICY_TYPES}`;
    },
  })
  .describe('A named policy instance; routes list these names under inbound and outbound.');
