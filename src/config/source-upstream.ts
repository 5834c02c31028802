/**
 * An upstream in edgeway.yaml: where proxied requests go. Upstream URLs come from config
 * only (DESIGN.md security rules), so they are checked hard here: http(s), no userinfo,
 * no query, no fragment. The compiler checks them after `${env.NAME}` resolution.
 */
import { z } from 'zod';
import { boundedInt } from './source-fields.ts';

const URL_MESSAGE = 'expected an absolute http or https URL such as https://api.example.com';
const URL_USERINFO_MESSAGE =
  'expected a URL without userinfo (user:password@); credentials do not belong in config';
const URL_QUERY_MESSAGE = 'expected a URL without a query ("?...")';
const URL_FRAGMENT_MESSAGE = 'expected a URL without a fragment ("#...")';

/** The first rule `text` breaks, or undefined for a valid upstream URL. */
function upstreamUrlProblem(text: string): string | undefined {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return URL_MESSAGE;
  if (url.username !== '' || url.password !== '') return URL_USERINFO_MESSAGE;
  // `search` and `hash` are empty for a bare "?" or "#", so look at the text itself.
  if (url.href.includes('?')) return URL_QUERY_MESSAGE;
  if (url.href.includes('#')) return URL_FRAGMENT_MESSAGE;
  return undefined;
}

const UpstreamUrlSchema = z.string().transform((text, ctx) => {
  const problem = upstreamUrlProblem(text);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem, input: text });
    return z.NEVER;
  }
  return new URL(text).href.replace(/\/+$/, '');
});

export const UpstreamSchema = z
  .strictObject({
    url: UpstreamUrlSchema.describe(
      'Base URL that matching requests are forwarded to: http or https, without userinfo, query or fragment.',
    ),
    timeoutMs: boundedInt(1, 300_000)
      .default(30_000)
      .describe('How long to wait for the upstream to respond, in milliseconds, before answering 504.'),
  })
  .describe('A backend service the gateway proxies to.');
