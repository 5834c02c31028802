/**
 * Checks edgeway.yaml for one target environment: resolves `${env.NAME}`, validates
 * against the config-language schema, and links routes to upstreams and policies. Every
 * stage runs even when an earlier one found errors, so one compile reports them all. A
 * config that checks may still carry warnings: declarations no route uses.
 */
import { type EdgewaySource, EdgewaySourceSchema } from '../../../src/config/source.ts';
import { type CompileError, errorAt } from './errors.ts';
import { environmentVars, resolveEnvReferences } from './interpolate.ts';
import { samePath } from './json-path.ts';
import { checkReferences, declarationsOf, findUnusedDeclarations } from './link.ts';
import { malformedReference, unsetVariable } from './messages.ts';
import { findOverlappingRoutes } from './overlaps.ts';
import { draftsFromConfig, type RouteDraft } from './route-drafts.ts';
import type { SourceDocument } from './source-document.ts';
import { validate } from './validate.ts';

export type CheckedConfig =
  | {
      readonly ok: true;
      readonly source: EdgewaySource;
      readonly routes: readonly RouteDraft[];
      readonly warnings: readonly CompileError[];
    }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

export function checkConfig(
  document: SourceDocument,
  environment: string,
  overrides: Readonly<Record<string, string>> = {},
): CheckedConfig {
  const vars = environmentVars(document.value, environment, overrides);
  const { value, problems } = resolveEnvReferences(document.value, vars);
  const referenceErrors = problems.map(({ path, reference, name }) => {
    const message =
      name === undefined ? malformedReference(reference) : unsetVariable(name, environment, [...vars.keys()]);
    return errorAt(document, path, message, document.locateText(path, reference));
  });

  const validated = validate(EdgewaySourceSchema, value);
  // A string whose reference did not resolve is reported once, as the reference.
  const schemaErrors = validated.ok
    ? []
    : validated.diagnostics
        .filter((diagnostic) => !problems.some((problem) => samePath(problem.path, diagnostic.path)))
        .map((diagnostic) => errorAt(document, diagnostic.path, diagnostic.message, diagnostic.focus));

  const routes = draftsFromConfig(document, value);
  const declared = declarationsOf(value);
  const errors = [
    ...referenceErrors,
    ...schemaErrors,
    ...checkReferences(routes, declared),
    ...findOverlappingRoutes(routes),
  ];
  if (!validated.ok || errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    source: validated.data,
    routes,
    warnings: findUnusedDeclarations(document, declared, routes),
  };
}
