/**
 * `${env.NAME}` and `${secret.NAME}` references, resolved for the target environment
 * before validation, so the checks (an upstream URL's scheme, a header value's
 * characters) see the value that will be served. `$${` stands for a literal `${`. The
 * `vars` and `environments` sections are left alone: vars are literal values, not
 * templates.
 *
 * Secrets are allowed only inside policy options. Their values are substituted for
 * validation when the caller has them (the control plane); without them (local
 * validation) a string holding a secret reference is left unchecked. Either way the
 * options of a policy that uses a secret are also returned as a template
 * (src/config/secret-refs.ts), which is what the compiled deployment carries.
 */
import { escapeTemplateText } from '../../../src/config/secret-refs.ts';
import { VAR_NAME_PATTERN } from '../../../src/config/source-fields.ts';
import type { JsonPath } from './json-path.ts';
import { field, isRecord } from './plain-value.ts';

export type ReferenceProblemKind = 'malformed' | 'unset-variable' | 'unset-secret' | 'secret-outside-policy';

export interface ReferenceProblem {
  readonly kind: ReferenceProblemKind;
  readonly path: JsonPath;
  /** The reference as written, e.g. `${env.DEMO_URL}`, to point at it inside its string. */
  readonly reference: string;
  /** The variable or secret name, or undefined when the reference is malformed. */
  readonly name: string | undefined;
}

/** A policy whose options use secrets: the options as a template and the secrets it names. */
export interface SecretTemplate {
  readonly options: unknown;
  readonly secrets: readonly string[];
}

export interface Interpolated {
  readonly value: unknown;
  readonly problems: readonly ReferenceProblem[];
  /** Strings holding a secret reference: unchecked without values, and never echoed. */
  readonly secretPaths: readonly JsonPath[];
  /** By policy name. */
  readonly secretTemplates: ReadonlyMap<string, SecretTemplate>;
}

/** `$${` (an escape), `${env.NAME}`, `${secret.NAME}`, or any other `${...}` (malformed). */
const REFERENCE = new RegExp(`\\$\\$\\{|\\$\\{(env|secret)\\.(${VAR_NAME_PATTERN})\\}|\\$\\{[^}]*\\}?`, 'g');
const ESCAPE = '$${';
const LITERAL_SECTIONS = new Set(['vars', 'environments']);

/** `policies.<name>.options...`: where a secret reference may stand. */
function policyOfOptionsPath(path: JsonPath): string | undefined {
  return path[0] === 'policies' && path[2] === 'options' ? String(path[1]) : undefined;
}

/**
 * Resolves references with the environment's vars and, when given, its secrets' values.
 * `secrets` undefined means the values are not known here: secret references are then
 * accepted by name and the strings holding them left unchecked.
 */
export function resolveReferences(
  config: unknown,
  vars: ReadonlyMap<string, string>,
  secrets: ReadonlyMap<string, string> | undefined,
): Interpolated {
  const problems: ReferenceProblem[] = [];
  const secretPaths: JsonPath[] = [];
  const usedSecrets = new Map<string, Set<string>>();

  const report = (kind: ReferenceProblemKind, path: JsonPath, reference: string, name?: string) => {
    // The same bad reference twice in one string is one mistake, reported once.
    if (!problems.some((problem) => problem.path === path && problem.reference === reference))
      problems.push({ kind, path, reference, name });
  };

  /** The string resolved, and the same string as a template (secrets kept, the rest escaped). */
  const substitute = (text: string, path: JsonPath): [string, string] => {
    let template = '';
    let last = 0;
    const value = text.replace(REFERENCE, (reference: string, scope?: string, name?: string, offset = 0) => {
      template += escapeTemplateText(text.slice(last, offset));
      last = offset + reference.length;
      const resolved = resolveOne(reference, scope, name, path);
      template += scope === 'secret' ? reference : escapeTemplateText(resolved);
      return resolved;
    });
    return [value, template + escapeTemplateText(text.slice(last))];
  };

  const resolveOne = (
    reference: string,
    scope: string | undefined,
    name: string | undefined,
    path: JsonPath,
  ) => {
    if (reference === ESCAPE) return '${';
    if (scope === 'env') {
      const value = vars.get(name!);
      if (value === undefined) report('unset-variable', path, reference, name);
      return value ?? reference;
    }
    if (scope !== 'secret') {
      report('malformed', path, reference);
      return reference;
    }
    const policy = policyOfOptionsPath(path);
    if (policy === undefined) {
      report('secret-outside-policy', path, reference, name);
      return reference;
    }
    if (!secretPaths.includes(path)) secretPaths.push(path);
    usedSecrets.set(policy, (usedSecrets.get(policy) ?? new Set()).add(name!));
    if (secrets === undefined) return reference;
    const value = secrets.get(name!);
    if (value === undefined) report('unset-secret', path, reference, name);
    return value ?? reference;
  };

  const walk = (value: unknown, path: JsonPath): [unknown, unknown] => {
    if (typeof value === 'string') return substitute(value, path);
    if (Array.isArray(value)) {
      const pairs = value.map((item, index) => walk(item, [...path, index]));
      return [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1])];
    }
    if (!isRecord(value)) return [value, value];
    const pairs = Object.entries(value).map(([key, child]): [string, [unknown, unknown]] => {
      const literal = path.length === 0 && LITERAL_SECTIONS.has(key);
      return [key, literal ? [child, child] : walk(child, [...path, key])];
    });
    // fromEntries, not assignment: a key like `__proto__` stays an own key.
    return [
      Object.fromEntries(pairs.map(([key, pair]) => [key, pair[0]])),
      Object.fromEntries(pairs.map(([key, pair]) => [key, pair[1]])),
    ];
  };

  const [resolved, template] = walk(config, []);
  const secretTemplates = new Map<string, SecretTemplate>();
  for (const [policy, names] of usedSecrets) {
    const options = field(field(field(template, 'policies'), policy), 'options');
    secretTemplates.set(policy, { options, secrets: [...names].sort() });
  }
  return { value: resolved, problems, secretPaths, secretTemplates };
}

/**
 * The target environment's string vars: the top-level defaults, overridden by the
 * environment's own, overridden by `overrides` (the vars set through the API). Read before
 * validation (interpolation has to happen first); anything malformed in the config is
 * reported by the schema later, not here.
 */
export function environmentVars(
  config: unknown,
  environment: string,
  overrides: Readonly<Record<string, string>> = {},
): Map<string, string> {
  const own = field(field(field(config, 'environments'), environment), 'vars');
  return new Map([
    ...stringEntries(field(config, 'vars')),
    ...stringEntries(own),
    ...Object.entries(overrides),
  ]);
}

function stringEntries(vars: unknown): [string, string][] {
  const entries = isRecord(vars) ? Object.entries(vars) : [];
  return entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}
