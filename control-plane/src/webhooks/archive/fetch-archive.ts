/**
 * Downloads a provider's archive of one commit. GitHub answers its tarball endpoint with a
 * redirect to a short-lived download URL on another host, so redirects are followed here,
 * by hand and at most MAX_REDIRECTS times: the credentials go to the API's own origin and
 * never to a host it redirects to, whatever the runtime's fetch would do with them.
 */
import { err, ok, type Result } from '../../../../src/config/result.ts';
import type { ArchiveRequest } from '../provider.ts';

const MAX_REDIRECTS = 3;
const USER_AGENT = 'edgeway-control-plane';

export type FetchFailure =
  /** The provider answered with an error status (401 or 403: the token; 404: repo or commit). */
  | { readonly kind: 'provider-refused'; readonly status: number }
  /** No answer: DNS, connection or TLS failure. */
  | { readonly kind: 'provider-unreachable' }
  | { readonly kind: 'too-many-redirects' };

export async function fetchArchive(
  request: ArchiveRequest,
): Promise<Result<ReadableStream<Uint8Array>, FetchFailure>> {
  const origin = new URL(request.url).origin;
  let url = new URL(request.url);
  for (let redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
    const headers = { 'user-agent': USER_AGENT, ...request.headers };
    let response: Response;
    try {
      response = await fetch(url, {
        headers: url.origin === origin ? { ...headers, ...request.credentials } : headers,
        redirect: 'manual',
      });
    } catch {
      return err({ kind: 'provider-unreachable' });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return err({ kind: 'provider-refused', status: response.status });
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return err({ kind: 'provider-refused', status: response.status });
    }
    return ok(response.body);
  }
  return err({ kind: 'too-many-redirects' });
}
