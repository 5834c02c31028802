/**
 * Checks edgeway.yaml for one target environment: resolves `${env.NAME}` and
 * `${secret.NAME}` (interpolate.ts), validates
 * against the config-language schema, and links routes to upstreams and policies. Every
 * stage runs even when an earlier one found errors, so one compile reports them all. A
 * config that checks may still carry warnings: declarations no route uses.
 */
import { type EdgewaySource, EdgewaySourceSchema } from '../../../src/config/source.ts';
import { type CompileError, errorAt } from './errors.ts';
import {
  environmentVars,
  type ReferenceProblem,
  resolveReferences,
  type SecretTemplate,
} from './interpolate.ts';
import { samePath } from './json-path.ts';
import { checkReferences, declarationsOf, findUnusedDeclarations } from './link.ts';
import { malformedReference, secretOutsidePolicy, unsetSecret, unsetVariable } from './messages.ts';
import { findOverlappingRoutes } from './overlaps.ts';
import { field, isRecord } from './plain-value.ts';
import { draftsFromConfig, type RouteDraft } from './route-drafts.ts';
import type { SourceDocument } from './source-document.ts';
import { validate } from './validate.ts';

export type CheckedConfig =
  | {
      readonly ok: true;
      readonly source: EdgewaySource;
      readonly routes: readonly RouteDraft[];
      readonly warnings: readonly CompileError[];
      /** Policies whose options use secrets, by name: what the deployment carries instead. */
      readonly secretTemplates: ReadonlyMap<string, SecretTemplate>;
    }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

export interface CheckInput {
  readonly environment: string;
  /** Vars set outside Git; they override the config's. */
  readonly vars?: Readonly<Record<string, string>>;
  /** The environment's secrets by name; undefined where their values are not known (local validation). */
  readonly secrets?: ReadonlyMap<string, string>;
}

export function checkConfig(document: SourceDocument, input: CheckInput): CheckedConfig {
  const { environment, secrets } = input;
  const vars = environmentVars(document.value, environment, input.vars);
  const { value, problems, secretPaths, secretTemplates } = resolveReferences(document.value, vars, secrets);
  const referenceErrors = problems.map((problem) =>
    errorAt(
      document,
      problem.path,
      referenceMessage(problem, environment, [...vars.keys()], [...(secrets?.keys() ?? [])]),
      document.locateText(problem.path, problem.reference),
    ),
  );

  const validated = validate(EdgewaySourceSchema, value);
  // A string whose reference did not resolve is reported once, as the reference; one
  // holding a secret whose value is unknown here cannot be checked.
  const unchecked = [...problems.map((problem) => problem.path), ...(secrets ? [] : secretPaths)];
  const diagnostics = validated.ok
    ? []
    : validated.diagnostics.filter(
        (diagnostic) => !unchecked.some((path) => samePath(path, diagnostic.path)),
      );
  const schemaErrors = diagnostics.map((diagnostic) =>
    errorAt(document, diagnostic.path, withoutSecrets(diagnostic.message, secrets), diagnostic.focus),
  );
  const source = validated.ok
    ? validated.data
    : diagnostics.length === 0 && !secrets
      ? validateWithoutSecretPolicies(value, secretTemplates)
      : undefined;

  const routes = draftsFromConfig(document, value);
  const declared = declarationsOf(value);
  const errors = [
    ...referenceErrors,
    ...schemaErrors,
    ...checkReferences(routes, declared),
    ...findOverlappingRoutes(routes),
  ];
  if (!source || errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    source,
    routes,
    warnings: findUnusedDeclarations(document, declared, routes),
    secretTemplates,
  };
}

/**
 * Without secret values (local validation), a policy whose only failures are at strings
 * holding secret references cannot be validated as a whole. The rest of the config is
 * validated without such policies, which are kept as written: they compile to templates
 * anyway, and the control plane validates them with the values.
 */
function validateWithoutSecretPolicies(
  value: unknown,
  templates: ReadonlyMap<string, SecretTemplate>,
): EdgewaySource | undefined {
  const policies = isRecord(field(value, 'policies'))
    ? (field(value, 'policies') as Record<string, unknown>)
    : {};
  const kept = Object.fromEntries(Object.entries(policies).filter(([name]) => !templates.has(name)));
  const reduced = validate(EdgewaySourceSchema, { ...(value as object), policies: kept });
  if (!reduced.ok) return undefined;
  const asWritten = [...templates.keys()].map((name) => {
    const policy = field(policies, name);
    return [name, { type: field(policy, 'type'), mode: field(policy, 'mode') ?? 'enforce', options: {} }];
  });
  return {
    ...reduced.data,
    policies: { ...reduced.data.policies, ...Object.fromEntries(asWritten) },
  } as EdgewaySource;
}

function referenceMessage(
  { kind, reference, name }: ReferenceProblem,
  environment: string,
  vars: readonly string[],
  secrets: readonly string[],
): string {
  switch (kind) {
    case 'malformed':
      return malformedReference(reference);
    case 'unset-variable':
      return unsetVariable(name!, environment, vars);
    case 'unset-secret':
      return unsetSecret(name!, environment, secrets);
    case 'secret-outside-policy':
      return secretOutsidePolicy(reference);
  }
}

/** A schema message may quote the value it rejected; a secret's value is never shown. */
function withoutSecrets(message: string, secrets: ReadonlyMap<string, string> | undefined): string {
  let text = message;
  for (const [name, value] of secrets ?? []) {
    if (value !== '') text = text.replaceAll(value, () => `\${secret.${name}}`);
  }
  return text;
}
