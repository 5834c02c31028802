/**
 * Options of the `require-consumer` policy: the access rule a route puts after its auth
 * policies. Every list given must be satisfied; an empty rule admits any consumer.
 */
import { z } from 'zod';
import { AuthSchemeSchema } from '../../config/auth-fields.ts';

const NameListSchema = z.array(z.string().min(1).max(256));

export const requireConsumerSchema = z
  .strictObject({
    consumers: NameListSchema.optional().describe(
      "Admit only these consumers, by name or id (a managed consumer's name, a token's subject).",
    ),
    tags: NameListSchema.optional().describe('Admit only consumers carrying at least one of these tags.'),
    scopes: NameListSchema.optional().describe(
      'Admit only credentials granted every one of these OAuth scopes (JWT scope/scp, introspection scope).',
    ),
    challenge: AuthSchemeSchema.default('Bearer').describe(
      'The auth scheme named in WWW-Authenticate when an anonymous request is refused (401).',
    ),
  })
  .describe(
    'Refuses anonymous requests (401) and consumers the rule does not admit (403). List it after the auth policies of the route.',
  );

export type RequireConsumerOptions = z.output<typeof requireConsumerSchema>;
