/**
 * The compiled deployment: what the control plane writes to KV and the data plane serves.
 *
 * This is a versioned contract (see docs/storage.md). The data plane of format N reads
 * blobs of format N and N-1, because a new worker meets an old blob (and the reverse)
 * during every rollout. Everything a request needs is precomputed here, so the data plane
 * never parses user config on the request path.
 *
 * The schemas below validate a blob when the data plane loads it: a blob that does not
 * match is treated as corrupt and the last-known-good deployment keeps serving.
 */
import { z } from 'zod';
import { DeploymentIdSchema, EnvironmentNameSchema } from './ids.ts';

/**
 * Format 2 added secrets: a policy's `secrets` and the deployment's sealed `secrets`.
 * A format 1 blob is a format 2 blob without them.
 */
export const COMPILED_FORMAT = 2;
/** Formats this build can serve: the current one and the one before it. */
export const READABLE_FORMATS: readonly number[] = [COMPILED_FORMAT, COMPILED_FORMAT - 1];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const HttpMethodSchema = z.enum(HTTP_METHODS);
export type HttpMethod = z.infer<typeof HttpMethodSchema>;

export const SourceLocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
});
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

export const CompiledUpstreamSchema = z.object({
  /** Absolute http(s) URL without userinfo, query or fragment; no trailing slash. */
  url: z.string(),
  timeoutMs: z.number().int().positive(),
});
export type CompiledUpstream = z.infer<typeof CompiledUpstreamSchema>;

export const PolicyModeSchema = z.enum(['enforce', 'report']);
export type PolicyMode = z.infer<typeof PolicyModeSchema>;

export const CompiledPolicySchema = z.object({
  type: z.string(),
  mode: PolicyModeSchema,
  /**
   * Options already validated against the type's schema, defaults applied; or, when
   * `secrets` is present, a template of the options as written, which the data plane
   * fills in with the secrets' values and then validates (src/config/secret-refs.ts).
   */
  options: z.unknown(),
  /** The names of the secrets the options template uses. */
  secrets: z.array(z.string()).optional(),
});
export type CompiledPolicy = z.infer<typeof CompiledPolicySchema>;

export const CompiledHandlerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('proxy'), upstream: z.string() }),
  z.object({
    type: z.literal('mock'),
    status: z.number().int().min(200).max(599),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
  }),
  z.object({
    type: z.literal('redirect'),
    location: z.string(),
    status: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]),
  }),
]);
export type CompiledHandler = z.infer<typeof CompiledHandlerSchema>;

/**
 * One path segment of a route pattern: a literal, a named parameter (`:id`) or the
 * wildcard tail (`*`, only last), which matches zero or more remaining segments.
 */
export const PathSegmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('static'), value: z.string() }),
  z.object({ kind: z.literal('param'), name: z.string() }),
  z.object({ kind: z.literal('wildcard') }),
]);
export type PathSegment = z.infer<typeof PathSegmentSchema>;

export const CompiledRouteSchema = z.object({
  /** Stable, human-readable id: `METHODS host/path`, used in analytics and logs. */
  id: z.string(),
  /** The pattern as the user wrote it, e.g. `/users/:id/*`. */
  path: z.string(),
  segments: z.array(PathSegmentSchema),
  /** Lowercased host this route is limited to; absent means any host. */
  host: z.string().optional(),
  /** Methods this route answers; absent means every method. HEAD is implied by GET. */
  methods: z.array(HttpMethodSchema).optional(),
  inbound: z.array(z.string()),
  outbound: z.array(z.string()),
  handler: CompiledHandlerSchema,
  source: SourceLocationSchema,
});
export type CompiledRoute = z.infer<typeof CompiledRouteSchema>;

/**
 * A segment trie over all routes. Matching prefers a static child, then a parameter,
 * then a wildcard, backtracking when a branch has no route; `routes` and `wildcard` hold
 * indexes into `routes`, host-specific routes first.
 */
export interface RouteIndexNode {
  static?: Record<string, RouteIndexNode>;
  param?: RouteIndexNode;
  wildcard?: number[];
  routes?: number[];
}
export const RouteIndexNodeSchema: z.ZodType<RouteIndexNode> = z.lazy(() =>
  z.object({
    static: z.record(z.string(), RouteIndexNodeSchema).optional(),
    param: RouteIndexNodeSchema.optional(),
    wildcard: z.array(z.number().int().nonnegative()).optional(),
    routes: z.array(z.number().int().nonnegative()).optional(),
  }),
);

export const CompiledConfigSchema = z.object({
  /** Hosts the environment claims (lowercased); the control plane maps them to it. */
  hosts: z.array(z.string()),
  upstreams: z.record(z.string(), CompiledUpstreamSchema),
  policies: z.record(z.string(), CompiledPolicySchema),
  routes: z.array(CompiledRouteSchema),
  routeIndex: RouteIndexNodeSchema,
});
export type CompiledConfig = z.infer<typeof CompiledConfigSchema>;

export const CompiledDeploymentSchema = z.object({
  format: z.number().int(),
  deploymentId: DeploymentIdSchema,
  environment: EnvironmentNameSchema,
  /** `sha256:<hex>` of the canonical JSON of `config`; equal inputs give equal hashes. */
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  config: CompiledConfigSchema,
  /**
   * Secret name to its value sealed under SECRETS_KEY with deploymentSecretContext, for
   * the policies' templates. Outside `config`, so the hash is the config's alone.
   */
  secrets: z.record(z.string(), z.string()).optional(),
});
export type CompiledDeployment = z.infer<typeof CompiledDeploymentSchema>;

/** The value at `environment/<name>/live`. */
export const EnvironmentPointerSchema = z.object({
  deploymentId: DeploymentIdSchema,
  format: z.number().int(),
  updatedAt: z.string(),
});
export type EnvironmentPointer = z.infer<typeof EnvironmentPointerSchema>;

/** The value at `host/<hostname>`. */
export const HostRecordSchema = z.object({ environment: EnvironmentNameSchema });
export type HostRecord = z.infer<typeof HostRecordSchema>;
