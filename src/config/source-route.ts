/**
 * A route in edgeway.yaml: which requests it matches (path, methods, host), the policy
 * instances it runs, and exactly one handler (an upstream, a mock or a redirect).
 */
import { z } from 'zod';
import { HTTP_METHODS } from './compiled.ts';
import { HeaderMapSchema } from './http-fields.ts';
import { parseRoutePath } from './route-path.ts';
import { boundedInt, HostnameSchema, NameSchema } from './source-fields.ts';

const HANDLERS = ['upstream', 'mock', 'redirect'] as const;
const NO_HANDLER_MESSAGE = `route has no handler; expected exactly one of: ${HANDLERS.join(', ')}`;
const REDIRECT_LOCATION_MESSAGE = 'expected an absolute http or https URL, or a path starting with "/"';

const METHODS = new Set<string>(HTTP_METHODS);
const MethodSchema = z.enum(HTTP_METHODS, {
  error: (issue) => {
    if (issue.code !== 'invalid_value' || typeof issue.input !== 'string') return undefined;
    const upper = issue.input.toUpperCase();
    return METHODS.has(upper)
      ? `method "${issue.input}" is not upper case; expected "${upper}"`
      : `unknown method "${issue.input}"; expected one of: ${HTTP_METHODS.join(', ')}`;
  },
});

const RoutePathSchema = z.string().transform((text, ctx) => {
  const parsed = parseRoutePath(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message, input: text });
    return z.NEVER;
  }
  return { text, segments: parsed.segments };
});

function isRedirectLocation(location: string): boolean {
  if (/[\s\0]/.test(location)) return false;
  if (location.startsWith('/')) return !location.startsWith('//');
  return URL.canParse(location) && ['http:', 'https:'].includes(new URL(location).protocol);
}

const MockSchema = z
  .strictObject({
    status: boundedInt(200, 599).default(200).describe('Status code of the response.'),
    // The same field rules as set-headers: RFC 9110 names, no CR, LF or NUL in values.
    headers: HeaderMapSchema.default({}).describe('Response headers, name to value.'),
    body: z.string().default('').describe('Response body, sent as written.'),
  })
  .describe('Answers with a fixed response; no upstream is called.');

const RedirectSchema = z
  .strictObject({
    location: z
      .string()
      .refine(isRedirectLocation, REDIRECT_LOCATION_MESSAGE)
      .describe('Where to send the client: an absolute http(s) URL or a path on this host.'),
    status: z
      .literal([301, 302, 303, 307, 308])
      .default(302)
      .describe('Redirect status: 301, 302, 303, 307 or 308.'),
  })
  .describe('Answers with a redirect; no upstream is called.');

const PolicyListSchema = z.array(NameSchema).default([]);

export const RouteSchema = z
  .strictObject({
    path: RoutePathSchema.describe(
      'Path pattern: "/" then segments that are literals, ":name" parameters, or "*" as the last segment (matches the rest of the path).',
    ),
    methods: z
      .array(MethodSchema)
      .min(1, 'expected at least one method; leave out "methods" to match every method')
      .transform((methods) => [...new Set(methods)])
      .optional()
      .describe(
        'Upper-case HTTP methods the route answers; every method when absent. GET also answers HEAD.',
      ),
    host: HostnameSchema.optional().describe(
      'Lowercase hostname the route is limited to; any host when absent.',
    ),
    inbound: PolicyListSchema.describe('Policy names run in order on the request, before the handler.'),
    outbound: PolicyListSchema.describe('Policy names run in order on the response, after the handler.'),
    upstream: NameSchema.optional().describe('Proxy matching requests to this upstream (by name).'),
    mock: MockSchema.optional(),
    redirect: RedirectSchema.optional(),
  })
  .superRefine((route, ctx) => {
    const handlers = HANDLERS.filter((handler) => route[handler] !== undefined);
    if (handlers.length === 0) ctx.addIssue({ code: 'custom', message: NO_HANDLER_MESSAGE, input: route });
    if (handlers.length > 1) {
      const message = `route has ${handlers.length} handlers (${handlers.join(', ')}); expected exactly one of: ${HANDLERS.join(', ')}`;
      ctx.addIssue({ code: 'custom', message, input: route });
    }
  })
  .describe(
    'Matches requests by path, methods and host, runs policies, and hands the request to one handler.',
  );

export type SourceRoute = z.output<typeof RouteSchema>;
