/**
 * The backing service of the gateway's ANALYTICS Queue binding in `npm run bench`.
 *
 * workerd turns each Queue call into an HTTP request to the service a queue binding names
 * (src/workerd/api/queue.c++): send(body) is `POST https://fake-host/message` with the
 * serialized body, sendBatch is `POST https://fake-host/batch`; a 200 answer means the
 * messages were accepted. This service accepts and discards them, as a Queue that keeps
 * up would, and counts them: `GET /__messages` on its own socket answers the count, so
 * the benchmark can show one analytics event per request.
 */
let messages = 0;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.hostname !== 'fake-host') {
      return url.pathname === '/__messages'
        ? Response.json({ messages })
        : new Response(null, { status: 404 });
    }
    if (request.method === 'POST' && url.pathname === '/message') {
      await request.arrayBuffer();
      messages++;
      return new Response(null);
    }
    if (request.method === 'POST' && url.pathname === '/batch') {
      const batch = await request.json();
      messages += batch.messages.length;
      return new Response(null);
    }
    return new Response('the bench Queue service takes send and sendBatch only', { status: 405 });
  },
};
