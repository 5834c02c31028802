/**
 * `${env.NAME}` references, resolved from the target environment's vars before
 * validation, so the checks (an upstream URL's scheme, a header value's characters) see
 * the value that will be served. `$${` stands for a literal `${`. The `vars` and
 * `environments` sections are left alone: vars are literal values, not templates.
 */
import { VAR_NAME_PATTERN } from '../../../src/config/source-fields.ts';
import type { JsonPath } from './json-path.ts';
import { field, isRecord } from './plain-value.ts';

export interface ReferenceProblem {
  readonly path: JsonPath;
  /** The reference as written, e.g. `${env.DEMO_URL}`, to point at it inside its string. */
  readonly reference: string;
  /** The variable name, or undefined when the reference is malformed. */
  readonly name: string | undefined;
}

export interface Interpolated {
  readonly value: unknown;
  readonly problems: readonly ReferenceProblem[];
}

/** `$${` (an escape), `${env.NAME}`, or any other `${...}` (malformed). */
const REFERENCE = new RegExp(`\\$\\$\\{|\\$\\{env\\.(${VAR_NAME_PATTERN})\\}|\\$\\{[^}]*\\}?`, 'g');
const ESCAPE = '$${';
const LITERAL_SECTIONS = new Set(['vars', 'environments']);

export function resolveEnvReferences(config: unknown, vars: ReadonlyMap<string, string>): Interpolated {
  const problems: ReferenceProblem[] = [];
  const substitute = (text: string, path: JsonPath) =>
    text.replace(REFERENCE, (reference: string, name: string | undefined) => {
      if (reference === ESCAPE) return '${';
      const value = name === undefined ? undefined : vars.get(name);
      // The same bad reference twice in one string is one mistake, reported once.
      const known = problems.some((problem) => problem.path === path && problem.reference === reference);
      if (value === undefined && !known) problems.push({ path, reference, name });
      return value ?? reference;
    });
  const walk = (value: unknown, path: JsonPath): unknown => {
    if (typeof value === 'string') return substitute(value, path);
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => {
        const literal = path.length === 0 && LITERAL_SECTIONS.has(key);
        return [key, literal ? child : walk(child, [...path, key])];
      }),
    );
  };
  return { value: walk(config, []), problems };
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
