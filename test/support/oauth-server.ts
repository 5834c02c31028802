/**
 * Global setup of the data-plane tests: an OAuth 2.0 authorization server's token
 * introspection endpoint (RFC 7662) on loopback, for the oauth-introspection policy. It
 * authenticates the gateway as a client, by HTTP Basic or by the form body (RFC 6749
 * §2.3.1, values form-urlencoded), answering 401 invalid_client otherwise, and answers
 * per token as the tests set it over HTTP. Tests use tokens of their own, so they never
 * see each other's answers or counts.
 *
 *   POST /introspect               form: token (and client_id, client_secret)
 *   PUT  /control/tokens/{token}   {"answer": {...}}: what to answer (default {"active": false})
 *                                  {"behaviour": "answer" | "error" (500) | "hang" (never answers)
 *                                                | "reset" (drops the connection) | "garbage"}
 *   GET  /control/tokens/{token}   {"calls": 2, "clientAuth": "basic"}: authenticated
 *                                  introspections of the token, and how the last one authenticated
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import type { TestProject } from 'vitest/node';
import type { IntrospectionBehaviour, OAuthServerInfo } from './oauth-server-info.ts';

// A secret that changes under form-urlencoding, so a client that skips it is refused.
const CLIENT = { clientId: 'edgeway-gateway', clientSecret: 'gateway s3cret:+&/' };

interface TokenState {
  answer: Record<string, unknown>;
  behaviour: IntrospectionBehaviour;
  calls: number;
  clientAuth: 'basic' | 'post' | undefined;
}

const formDecode = (value: string): string => decodeURIComponent(value.replaceAll('+', ' '));

/** How the client authenticated, when its credentials are the right ones. */
function clientAuthOf(request: IncomingMessage, form: URLSearchParams): TokenState['clientAuth'] {
  const authorization = request.headers.authorization ?? '';
  if (authorization.startsWith('Basic ')) {
    const pair = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    const id = formDecode(pair.slice(0, colon));
    const secret = formDecode(pair.slice(colon + 1));
    return id === CLIENT.clientId && secret === CLIENT.clientSecret ? 'basic' : undefined;
  }
  const post = form.get('client_id') === CLIENT.clientId && form.get('client_secret') === CLIENT.clientSecret;
  return post ? 'post' : undefined;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function introspect(state: TokenState, request: IncomingMessage, response: ServerResponse): void {
  switch (state.behaviour) {
    case 'answer':
      json(response, 200, state.answer);
      return;
    case 'error':
      json(response, 500, { error: 'server_error' });
      return;
    case 'garbage':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"active": tr');
      return;
    case 'reset':
      request.socket.destroy();
      return;
    case 'hang':
      return;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tokens = new Map<string, TokenState>();
  const stateOf = (token: string): TokenState => {
    let state = tokens.get(token);
    if (!state) {
      state = { answer: { active: false }, behaviour: 'answer', calls: 0, clientAuth: undefined };
      tokens.set(token, state);
    }
    return state;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://oauth.invalid').pathname;
    const body = await text(request);
    if (path === '/introspect' && request.method === 'POST') {
      const form = new URLSearchParams(body);
      const clientAuth = clientAuthOf(request, form);
      if (!clientAuth) return json(response, 401, { error: 'invalid_client' });
      const state = stateOf(form.get('token') ?? '');
      state.calls += 1;
      state.clientAuth = clientAuth;
      return introspect(state, request, response);
    }
    const control = /^\/control\/tokens\/([^/]+)$/.exec(path);
    if (!control) return json(response, 404, { error: 'not_found' });
    const state = stateOf(decodeURIComponent(control[1]!));
    if (request.method === 'GET')
      return json(response, 200, { calls: state.calls, clientAuth: state.clientAuth });
    const change = JSON.parse(body) as {
      answer?: Record<string, unknown>;
      behaviour?: IntrospectionBehaviour;
    };
    if (change.answer) state.answer = change.answer;
    state.behaviour = change.behaviour ?? 'answer';
    response.writeHead(204).end();
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const info: OAuthServerInfo = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...CLIENT,
  };
  project.provide('oauthServer', info);
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}
