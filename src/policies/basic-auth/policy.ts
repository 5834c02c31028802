/**
 * `basic-auth`: accepts requests carrying the user name and password of a configured user
 * (HTTP Basic, RFC 7617) and sets the consumer to that user. Hashes are parsed and the
 * challenge built once per deployment load; per request it decodes the header and checks
 * the password (src/policies/basic-auth/password-check.ts). Missing or wrong credentials
 * are answered 401 with a Basic challenge announcing UTF-8 (RFC 7617 §2.1).
 */

import { unauthorized } from '../../identity/challenges.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import { createForwarder } from '../../identity/forwarding.ts';
import type { PolicyContext, PolicyFactory } from '../contract.ts';
import { readBasicCredentials } from './credentials.ts';
import { createPasswordCheck } from './password-check.ts';
import type { BasicAuthOptions } from './schema.ts';

const MISSING_DETAIL = 'This resource requires a user name and password (HTTP Basic authentication).';
const MALFORMED_DETAIL = 'The Authorization header does not hold valid Basic credentials.';
const WRONG_DETAIL = 'The user name or password is not correct.';

export const create: PolicyFactory<BasicAuthOptions> = (options, { name }) => {
  const checkPassword = createPasswordCheck(options.users);
  const forwardConsumer = createForwarder(options.forwardHeaders);
  const challenge = { scheme: 'Basic', params: { realm: options.realm, charset: 'UTF-8' } };

  async function authenticateBasic(request: Request, ctx: PolicyContext): Promise<Request | Response> {
    const credentials = readBasicCredentials(request.headers.get('authorization'));
    switch (credentials.kind) {
      case 'absent':
        if (!options.allowAnonymous) return unauthorized(ctx.requestId, challenge, MISSING_DETAIL);
        forwardConsumer(request.headers, undefined);
        return request;
      case 'malformed':
        ctx.log.info('basic-auth refused malformed credentials', { policy: name });
        return unauthorized(ctx.requestId, challenge, MALFORMED_DETAIL);
      case 'present': {
        const user = await checkPassword(credentials.user, credentials.password, ctx.now());
        if (user === undefined) {
          ctx.log.info('basic-auth refused a user name or password', { policy: name });
          return unauthorized(ctx.requestId, challenge, WRONG_DETAIL);
        }
        const consumer = basicConsumer(user);
        ctx.data.set(CONSUMER, consumer);
        if (options.stripCredentials) request.headers.delete('authorization');
        forwardConsumer(request.headers, consumer);
        return request;
      }
    }
  }

  return { inbound: authenticateBasic };
};

function basicConsumer(user: string): Consumer {
  return { id: user, name: user, method: 'basic', tags: [], metadata: {}, scopes: [] };
}
