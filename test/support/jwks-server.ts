/**
 * Global setup of the data-plane tests: a JWKS server on loopback for the jwt-auth
 * policy to fetch keys from. Each test works in its own slot (any name), so tests never
 * see each other's keys or counts, and drives it over HTTP:
 *
 *   PUT /control/{slot}/keys       body: the JWKS to serve (and serve it)
 *   PUT /control/{slot}/behaviour  body: serve | error (500) | hang (never answers) | garbage
 *   GET /control/{slot}/hits       {"/jwks.json": 2, "/attacker.json": 0}: GETs per path
 *   GET /{slot}/jwks.json          the JWKS, as the slot's behaviour says
 *   GET /{slot}/{anything else}    404, counted: where a token's jku or x5u points
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import type {} from './jwks-server-url.ts';

const BEHAVIOURS = ['serve', 'error', 'hang', 'garbage'] as const;
type Behaviour = (typeof BEHAVIOURS)[number];

interface Slot {
  keys: string;
  behaviour: Behaviour;
  readonly hits: Map<string, number>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function serveJwks(slot: Slot, response: ServerResponse): void {
  switch (slot.behaviour) {
    case 'serve':
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(slot.keys);
      return;
    case 'error':
      response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    case 'garbage':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [{"kty": "RSA", ');
      return;
    case 'hang':
      return;
  }
}

async function control(slot: Slot, action: string, request: IncomingMessage, response: ServerResponse) {
  if (action === 'hits' && request.method === 'GET') {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(Object.fromEntries(slot.hits)));
    return;
  }
  const body = await readBody(request);
  if (action === 'keys' && request.method === 'PUT') {
    slot.keys = body;
    slot.behaviour = 'serve';
  } else if (action === 'behaviour' && request.method === 'PUT' && BEHAVIOURS.includes(body as Behaviour)) {
    slot.behaviour = body as Behaviour;
  } else {
    response.writeHead(400).end(`unknown control ${request.method} ${action}`);
    return;
  }
  response.writeHead(204).end();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const slots = new Map<string, Slot>();
  const slotNamed = (name: string): Slot => {
    let slot = slots.get(name);
    if (!slot) {
      slot = { keys: '{"keys":[]}', behaviour: 'serve', hits: new Map() };
      slots.set(name, slot);
    }
    return slot;
  };
  const server = createServer((request, response) => {
    const [first = '', second = '', ...rest] = new URL(request.url ?? '/', 'http://jwks.invalid').pathname
      .split('/')
      .slice(1);
    if (first === 'control') {
      control(slotNamed(second), rest.join('/'), request, response).catch(() => response.destroy());
      return;
    }
    request.resume();
    const slot = slotNamed(first);
    const path = `/${[second, ...rest].join('/')}`;
    slot.hits.set(path, (slot.hits.get(path) ?? 0) + 1);
    if (path === '/jwks.json') serveJwks(slot, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  project.provide('jwksServer', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}
