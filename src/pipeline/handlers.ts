/**
 * Builds a route's handler from its compiled form, once per loaded deployment: a proxy
 * to a named upstream, a fixed mock response, or a redirect.
 */
import type { CompiledHandler, CompiledUpstream } from '../config/compiled.ts';
import { isNullBodyStatus } from '../http/null-body.ts';
import { createProxyHandler } from '../http/proxy.ts';
import type { Handler } from './types.ts';

export function createHandler(
  handler: CompiledHandler,
  upstreams: Readonly<Record<string, CompiledUpstream>>,
): Handler {
  switch (handler.type) {
    case 'proxy':
      return createProxyHandler(handler.upstream, upstreams[handler.upstream]!);
    case 'mock':
      return createMockHandler(handler.status, handler.headers, handler.body);
    case 'redirect':
      return createRedirectHandler(handler.location, handler.status);
  }
}

function createMockHandler(status: number, headers: Readonly<Record<string, string>>, body: string): Handler {
  const entries = Object.entries(headers);
  const hasBody = body !== '' && !isNullBodyStatus(status);
  return async function mock(request) {
    return new Response(hasBody && request.method !== 'HEAD' ? body : null, { status, headers: entries });
  };
}

function createRedirectHandler(location: string, status: number): Handler {
  return async function redirect() {
    return new Response(null, { status, headers: { location } });
  };
}
