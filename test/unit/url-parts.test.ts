/** The proxy reads scheme, host and path+query from a serialized URL without parsing it again. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { urlParts } from '../../src/http/url-parts.ts';

describe('urlParts', () => {
  it('splits a serialized URL into scheme, host and path with query', () => {
    expect(urlParts('https://api.example:8443/a/b?x=1&y=%20')).toEqual({
      scheme: 'https',
      host: 'api.example:8443',
      pathAndQuery: '/a/b?x=1&y=%20',
    });
    expect(urlParts('http://[::1]:8787/')).toEqual({ scheme: 'http', host: '[::1]:8787', pathAndQuery: '/' });
  });

  it('leaves out userinfo and the fragment', () => {
    expect(urlParts('http://user:p%40ss@gw.example/x?q#frag')).toEqual({
      scheme: 'http',
      host: 'gw.example',
      pathAndQuery: '/x?q',
    });
  });

  it('agrees with the URL parser on every serialized http(s) URL', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }),
        (raw) => {
          const url = new URL(raw);
          expect(urlParts(url.href)).toEqual({
            scheme: url.protocol.slice(0, -1),
            host: url.host,
            pathAndQuery: url.pathname + url.search,
          });
        },
      ),
    );
  });
});
