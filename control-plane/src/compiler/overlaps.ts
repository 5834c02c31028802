/**
 * Overlapping routes: two routes with the same host, the same path shape (parameter
 * names ignored) and a method in common would make a request's route depend on order,
 * so the second one is an error that names the first.
 */
import type { PathSegment } from '../../../src/config/compiled.ts';
import { type CompileError, errorAt } from './errors.ts';
import { overlappingRoute } from './messages.ts';
import { type RouteDraft, routeId } from './route-drafts.ts';

export function findOverlappingRoutes(drafts: readonly RouteDraft[]): CompileError[] {
  const byShape = new Map<string, RouteDraft[]>();
  const errors: CompileError[] = [];
  for (const draft of drafts) {
    const key = `${draft.route.host ?? ''} ${shapeOf(draft.route.path.segments)}`;
    const earlier = byShape.get(key) ?? [];
    const clash = earlier.find((other) => methodsOverlap(other.route.methods, draft.route.methods));
    if (clash) {
      const { line, column } = clash.document.locate(clash.path);
      const message = overlappingRoute(
        routeId(draft.route),
        routeId(clash.route),
        `${clash.document.file}:${line}:${column}`,
      );
      errors.push(errorAt(draft.document, draft.path, message));
    }
    byShape.set(key, [...earlier, draft]);
  }
  return errors;
}

function shapeOf(segments: readonly PathSegment[]): string {
  const parts = segments.map((segment) =>
    segment.kind === 'static' ? segment.value : segment.kind === 'param' ? ':' : '*',
  );
  return `/${parts.join('/')}`;
}

/** Absent methods means every method. */
function methodsOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === undefined || b === undefined || a.some((method) => b.includes(method));
}
