/**
 * The backing service of the gateway's CONFIG KV binding in `npm run bench`.
 *
 * workerd turns each KV call into an HTTP request to the service a kvNamespace binding
 * names (src/workerd/api/kv.c++): get(key) is `GET https://fake-host/<encodeURIComponent
 * key>?urlencoded=true`, and a 404 answer means "no such key" (get returns null); the
 * 200 body is the value. This service answers those GETs from ENTRIES, a JSON binding
 * of key -> value, and refuses the rest (put, delete, list, bulk get): the data plane
 * only reads. It counts reads, and answers `GET /__reads` on its own socket, so the
 * benchmark can show KV staying off the hot path once the isolate cache is warm.
 */
let reads = 0;

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.hostname !== 'fake-host') {
      return url.pathname === '/__reads' ? Response.json({ reads }) : new Response(null, { status: 404 });
    }
    if (request.method !== 'GET' || url.searchParams.get('urlencoded') !== 'true') {
      return new Response('the bench KV service serves single-key GET only', { status: 405 });
    }
    reads++;
    const value = env.ENTRIES[decodeURIComponent(url.pathname.slice(1))];
    return value === undefined ? new Response(null, { status: 404 }) : new Response(value);
  },
};
