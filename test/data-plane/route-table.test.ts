import { describe, expect, it } from 'vitest';
import { buildRouteIndex } from '../../src/config/route-index.ts';
import { createRouteTable, findBadRouteIndex, type RouteMatch } from '../../src/deployment/route-table.ts';
import { compileRoute, mock, type RouteSpec } from './helpers/deployments.ts';

function tableOf(specs: Omit<RouteSpec, 'handler'>[]) {
  const routes = specs.map((spec, index) => compileRoute({ ...spec, handler: mock('') }, index));
  const loaded = routes.map((route) => ({
    route,
    inbound: [],
    outbound: [],
    handler: async () => new Response(),
  }));
  return createRouteTable(buildRouteIndex(routes), loaded);
}

/** The matched route's id and params, or the kind of miss. */
function summary(match: RouteMatch) {
  if (match.kind === 'found') return { id: match.route.route.id, params: { ...match.params } };
  return match;
}

describe('route table', () => {
  const table = tableOf([
    { path: '/users/me', methods: ['GET'] },
    { path: '/users/:id', methods: ['GET', 'PUT', 'DELETE'] },
    { path: '/users/:id/posts/:postId', methods: ['GET'] },
    { path: '/files/:name' },
    { path: '/files/*' },
    { path: '/a/b/c' },
    { path: '/a/:x/d' },
    { path: '/' },
  ]);
  const match = (path: string, method = 'GET', host = 'any.example') =>
    summary(table.match(host, method, path));

  it('prefers a static segment to a parameter', () => {
    expect(match('/users/me')).toEqual({ id: 'GET /users/me', params: {} });
    expect(match('/users/42')).toEqual({ id: 'GET,PUT,DELETE /users/:id', params: { id: '42' } });
  });

  it('prefers a parameter to a wildcard, which takes the rest of the path', () => {
    expect(match('/files/a')).toEqual({ id: '* /files/:name', params: { name: 'a' } });
    expect(match('/files/a/b/c')).toEqual({ id: '* /files/*', params: { '*': 'a/b/c' } });
  });

  it('lets a wildcard match zero segments', () => {
    expect(match('/files')).toEqual({ id: '* /files/*', params: { '*': '' } });
    expect(match('/files/')).toEqual({ id: '* /files/*', params: { '*': '' } });
  });

  it('backtracks from a static branch that has no route to a parameter', () => {
    expect(match('/a/b/c')).toEqual({ id: '* /a/b/c', params: {} });
    expect(match('/a/b/d')).toEqual({ id: '* /a/:x/d', params: { x: 'b' } });
  });

  it('backtracks from a static route that does not allow the method', () => {
    expect(match('/users/me', 'PUT')).toEqual({ id: 'GET,PUT,DELETE /users/:id', params: { id: 'me' } });
  });

  it('collects every parameter and decodes them', () => {
    expect(match('/users/caf%C3%A9/posts/7')).toEqual({
      id: 'GET /users/:id/posts/:postId',
      params: { id: 'café', postId: '7' },
    });
    expect(match('/files/a%20b/c')).toEqual({ id: '* /files/*', params: { '*': 'a b/c' } });
    expect(match('/files/%FF')).toEqual({ id: '* /files/:name', params: { name: '%FF' } });
  });

  it('matches the root path', () => {
    expect(match('/')).toEqual({ id: '* /', params: {} });
  });

  it('treats a trailing slash as a segment a parameter does not match', () => {
    expect(match('/users/42/')).toEqual({ kind: 'no-route' });
    expect(match('/users/')).toEqual({ kind: 'no-route' });
  });

  it('answers no-route for unknown paths, prototype keys included', () => {
    expect(match('/nothing')).toEqual({ kind: 'no-route' });
    expect(match('/__proto__')).toEqual({ kind: 'no-route' });
    expect(match('/constructor/x')).toEqual({ kind: 'no-route' });
  });

  it('allows HEAD wherever GET is allowed', () => {
    expect(match('/users/me', 'HEAD')).toEqual({ id: 'GET /users/me', params: {} });
  });

  it('lets a route without methods answer any method', () => {
    expect(match('/files/a', 'PROPFIND')).toEqual({ id: '* /files/:name', params: { name: 'a' } });
  });

  it('answers method-not-allowed with the sorted union of the matching routes methods', () => {
    expect(match('/users/me', 'POST')).toEqual({
      kind: 'method-not-allowed',
      allow: ['DELETE', 'GET', 'HEAD', 'PUT'],
    });
  });

  it('matches a host-limited route only on its host, before a route for any host', () => {
    const hosts = tableOf([
      { path: '/x' },
      { path: '/x', host: 'api.example' },
      { path: '/only', host: 'api.example', methods: ['GET'] },
    ]);
    expect(summary(hosts.match('api.example', 'GET', '/x'))).toMatchObject({ id: '* api.example/x' });
    expect(summary(hosts.match('www.example', 'GET', '/x'))).toMatchObject({ id: '* /x' });
    expect(summary(hosts.match('www.example', 'GET', '/only'))).toEqual({ kind: 'no-route' });
    expect(summary(hosts.match('www.example', 'POST', '/only'))).toEqual({ kind: 'no-route' });
    expect(summary(hosts.match('api.example', 'POST', '/only'))).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'HEAD'],
    });
  });

  it('finds index entries that name no route', () => {
    expect(findBadRouteIndex({ static: { a: { routes: [0, 2] } } }, 2)).toBe(
      'routeIndex refers to route 2, but there are 2 routes',
    );
    expect(findBadRouteIndex({ param: { wildcard: [1] } }, 2)).toBeUndefined();
  });
});
