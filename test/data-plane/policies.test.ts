import { beforeAll, describe, expect, it } from 'vitest';
import { proxyTo, setHeaders } from './helpers/deployments.ts';
import { echoOf } from './helpers/echo.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

describe('policies through the gateway', () => {
  let gw: Harness;

  beforeAll(async () => {
    gw = createHarness();
    await gw.deploy(
      [
        {
          path: '/forward',
          inbound: ['first', 'second'],
          outbound: ['first', 'second'],
          handler: proxyTo('echo'),
        },
        {
          path: '/reverse',
          inbound: ['second', 'first'],
          outbound: ['second', 'first'],
          handler: proxyTo('echo'),
        },
        { path: '/report', inbound: ['watch', 'first'], outbound: ['watch'], handler: proxyTo('echo') },
      ],
      {
        policies: {
          first: setHeaders({ set: { 'x-trail': 'first' } }),
          second: setHeaders({ append: { 'x-trail': 'second' }, remove: ['x-client'] }),
          watch: setHeaders(
            { set: { 'x-watched': 'yes', 'x-trail': 'watch' }, remove: ['x-client'] },
            'report',
          ),
        },
      },
    );
  });

  it('runs a route policies in the order it lists them, both ways', async () => {
    const forward = await gw.send('/forward', { headers: { 'x-client': 'kept until second' } });
    expect(forward.headers.get('x-trail')).toBe('first, second');
    const forwardEcho = await echoOf(forward);
    expect(forwardEcho.headers['x-trail']).toBe('first, second');
    expect(forwardEcho.headers['x-client']).toBeUndefined();

    const reverse = await gw.send('/reverse');
    expect(reverse.headers.get('x-trail')).toBe('first');
    expect((await echoOf(reverse)).headers['x-trail']).toBe('first');
  });

  it('runs a report-mode policy, logs its outcome and discards its effect', async () => {
    const response = await gw.send('/report', {
      method: 'POST',
      body: 'report mode leaves the body alone',
      headers: { 'x-client': 'present', 'x-request-id': 'report-1' },
    });
    expect(response.headers.get('x-watched')).toBeNull();
    expect(response.headers.get('x-trail')).toBeNull();
    const echo = await echoOf(response);
    expect(echo.headers['x-watched']).toBeUndefined();
    expect(echo.headers['x-client']).toBe('present');
    expect(echo.headers['x-trail']).toBe('first');
    expect(echo.body).toBe('report mode leaves the body alone');

    const reported = gw.logs.filter((line) => line.message === 'report-mode policy outcome');
    expect(
      reported.map(({ fields }) => [fields.requestId, fields.policy, fields.phase, fields.result]),
    ).toEqual([
      ['report-1', 'watch', 'inbound', 'continue'],
      ['report-1', 'watch', 'outbound', 'continue'],
    ]);
  });
});
