/**
 * Target (b) of `npm run bench`: the least a proxy worker can do. It rewrites the URL to
 * the upstream's origin and forwards the request with one fetch(), so the gateway's cost
 * is what the gateway adds on top of this. UPSTREAM is a text binding with that origin.
 */
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new Request(new URL(url.pathname + url.search, env.UPSTREAM), request));
  },
};
