import { describe, expect, it } from 'vitest';
import { policyDeps } from '../../../test/data-plane/helpers/policy-deps.ts';
import type { PolicyContext } from '../contract.ts';
import { create } from './policy.ts';
import { setHeadersSchema } from './schema.ts';

const ctx = {} as PolicyContext;

describe('set-headers', () => {
  it('removes, then sets, then appends request headers', async () => {
    const options = setHeadersSchema.parse({
      remove: ['X-Debug'],
      set: { 'X-Env': 'prod' },
      append: { Via: 'edgeway' },
    });
    const { inbound } = create(options, policyDeps('test'));
    const request = new Request('https://example.com/', {
      headers: { 'x-debug': '1', 'x-env': 'dev', via: '1.1 cdn' },
    });
    const result = await inbound!(request, ctx);
    expect(result).toBeInstanceOf(Request);
    const headers = (result as Request).headers;
    expect(headers.get('x-debug')).toBeNull();
    expect(headers.get('x-env')).toBe('prod');
    expect(headers.get('via')).toBe('1.1 cdn, edgeway');
  });

  it('edits response headers and keeps status and body', async () => {
    const { outbound } = create(
      setHeadersSchema.parse({ set: { 'x-served-by': 'edgeway' } }),
      policyDeps('t'),
    );
    const response = await outbound!(new Response('hi', { status: 201, headers: { a: 'b' } }), ctx);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-served-by')).toBe('edgeway');
    expect(response.headers.get('a')).toBe('b');
    expect(await response.text()).toBe('hi');
  });

  it('rejects header values with CR or LF', () => {
    const result = setHeadersSchema.safeParse({ set: { 'x-a': 'b\r\nx-evil: 1' } });
    expect(result.success).toBe(false);
  });
});
