/**
 * Routes in one shape, whatever source they came from, for linking and emitting. A draft
 * is a validated route plus where it was written, so later stages can locate errors in
 * its own document. edgeway.yaml's `routes` is the first source; OpenAPI operations with
 * an `x-edgeway` extension will be another, yielding drafts that point into their document.
 */
import { RouteSchema, type SourceRoute } from '../../../src/config/source.ts';
import type { JsonPath } from './json-path.ts';
import { field } from './plain-value.ts';
import type { SourceDocument } from './source-document.ts';

export interface RouteDraft {
  readonly route: SourceRoute;
  readonly document: SourceDocument;
  /** Where the route item is in `document`. */
  readonly path: JsonPath;
}

/**
 * Drafts for the items of edgeway.yaml's `routes` that are valid on their own. Invalid
 * items are reported by the whole-document validation; leaving them out here lets the
 * valid routes still be linked, so reference errors arrive in the same compile.
 */
export function draftsFromConfig(document: SourceDocument, config: unknown): RouteDraft[] {
  const routes = field(config, 'routes');
  if (!Array.isArray(routes)) return [];
  return routes.flatMap((item, index) => {
    const parsed = RouteSchema.safeParse(item);
    return parsed.success ? [{ route: parsed.data, document, path: ['routes', index] }] : [];
  });
}

/** `GET,PUT /users/:id`, `* api.example.com/echo/*`: stable across deployments, used in analytics. */
export function routeId(route: SourceRoute): string {
  return `${route.methods?.join(',') ?? '*'} ${route.host ?? ''}${route.path.text}`;
}
