/**
 * `require-consumer`: admits a request only when an earlier auth policy established a
 * consumer that the rule admits. Routes compose it with auth policies that allow
 * anonymous callers, e.g. an API key or a JWT, then one rule for both. Anonymous is 401
 * with a challenge; a known caller the rule does not admit is 403 (RFC 9110 §15.5.4), and
 * neither says which part of the rule failed.
 */
import { forbidden, unauthorized } from '../../identity/challenges.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import type { PolicyFactory } from '../contract.ts';
import type { RequireConsumerOptions } from './schema.ts';

type Rule = (consumer: Consumer) => boolean;

function compileRule({ consumers, tags, scopes }: RequireConsumerOptions): Rule {
  const names = consumers && new Set(consumers);
  const anyTag = tags && new Set(tags);
  return function admits(consumer) {
    if (names && !names.has(consumer.name) && !names.has(consumer.id)) return false;
    if (anyTag && !consumer.tags.some((tag) => anyTag.has(tag))) return false;
    return !scopes || scopes.every((scope) => consumer.scopes.includes(scope));
  };
}

export const create: PolicyFactory<RequireConsumerOptions> = (options, deps) => {
  const admits = compileRule(options);
  const challenge = { scheme: options.challenge, params: { realm: 'edgeway' } };
  return {
    async inbound(request, ctx) {
      const consumer = ctx.data.get(CONSUMER);
      if (!consumer) return unauthorized(ctx.requestId, challenge, 'This route needs credentials.');
      if (admits(consumer)) return request;
      ctx.log.info('consumer not admitted', { policy: deps.name, consumer: consumer.id });
      return forbidden(ctx.requestId, 'The credentials given do not grant access to this route.');
    },
  };
};
