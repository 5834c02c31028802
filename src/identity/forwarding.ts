/**
 * Passing the authenticated consumer on to the upstream in headers the route's auth
 * policy names (`forwardHeaders`, src/config/auth-fields.ts). Every auth policy takes
 * the same option and applies it with the forwarder built here. The named headers are
 * always removed from the client's request first, so a client cannot claim an identity
 * by sending them itself, even when the request ends up anonymous.
 */
import type { ForwardHeaders } from '../config/auth-fields.ts';
import type { Consumer } from './consumer.ts';

type Field = keyof ForwardHeaders;
const VALUES: Record<Field, (consumer: Consumer) => string | undefined> = {
  id: (consumer) => consumer.id,
  name: (consumer) => consumer.name,
  tags: (consumer) => consumer.tags.join(','),
  plan: (consumer) => consumer.plan,
  scopes: (consumer) => consumer.scopes.join(' '),
  metadata: (consumer) => JSON.stringify(consumer.metadata),
};

export type ConsumerForwarder = (headers: Headers, consumer: Consumer | undefined) => void;

/** Built once per policy instance; strips the named headers, then sets them for `consumer`. */
export function createForwarder(forward: ForwardHeaders): ConsumerForwarder {
  const fields = (Object.keys(VALUES) as Field[]).flatMap((field) => {
    const header = forward[field];
    return header ? [{ header, value: VALUES[field] }] : [];
  });
  return function forwardConsumer(headers, consumer) {
    for (const { header, value } of fields) {
      headers.delete(header);
      const text = consumer && value(consumer);
      // Header values cannot hold CR, LF or NUL; a claim carrying one is not forwarded.
      if (text && !/[\r\n\0]/.test(text)) headers.set(header, text);
    }
  };
}
