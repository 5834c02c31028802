/**
 * Every message the compiler itself writes (schema messages live beside the schema in
 * src/config). Each says what is wrong and what was expected; tests assert the text.
 */

export const NO_CONFIG_FILE =
  'no config file; expected edgeway.yaml or edgeway.json at the root of the repository';
export const BOTH_CONFIG_FILES = 'both edgeway.yaml and edgeway.json exist; expected exactly one of them';

export function syntaxError(code: string, message: string, key: string | number | undefined): string {
  return code === 'DUPLICATE_KEY'
    ? `duplicate key "${key}"; expected each key once in a map`
    : `syntax error: ${message}`;
}

export function unknownKey(key: string, expectation: string): string {
  return `unknown key "${key}"; ${expectation}`;
}

export function unknownReference(
  kind: 'upstream' | 'policy',
  name: string,
  declared: readonly string[],
): string {
  const section = kind === 'upstream' ? 'upstreams' : 'policies';
  const expected =
    declared.length > 0
      ? `one of: ${[...declared].sort().join(', ')}`
      : `a name declared under "${section}" (none are)`;
  return `unknown ${kind} "${name}"; expected ${expected}`;
}

export function unusedDeclaration(kind: 'upstream' | 'policy', name: string): string {
  return `${kind} "${name}" is not used by any route; expected a route that names it, or remove it`;
}

export function unsupportedPhase(
  name: string,
  type: string,
  phase: string,
  phases: readonly string[],
): string {
  return `policy "${name}" of type "${type}" cannot run ${phase}; expected a policy whose type runs ${phase} (${type} runs ${phases.join(', ')})`;
}

export function overlappingRoute(id: string, earlierId: string, earlierAt: string): string {
  return `route "${id}" overlaps route "${earlierId}" at ${earlierAt} (same host, path shape and methods); expected a different host, path or methods`;
}

export function unsetVariable(name: string, environment: string, available: readonly string[]): string {
  const expected =
    available.length > 0
      ? `one of: ${[...available].sort().join(', ')}`
      : `it under vars or environments.${environment}.vars (there are none)`;
  return `variable "${name}" is not set in environment "${environment}"; expected ${expected}`;
}

export function malformedReference(reference: string): string {
  return `malformed reference "${reference}"; expected \${env.NAME} or \${secret.NAME} with NAME of upper-case letters, digits and underscores, or $\${ for a literal \${`;
}

export function unsetSecret(name: string, environment: string, available: readonly string[]): string {
  const set = available.length > 0 ? ` (set: ${[...available].sort().join(', ')})` : ' (none are set)';
  return `secret "${name}" is not set in environment "${environment}"${set}; expected it set with \`edgeway secrets set ${name} --environment ${environment}\``;
}

export function secretOutsidePolicy(reference: string): string {
  return `${reference} is outside policy options; expected secrets only under policies.<name>.options, so they are never written into routes, upstreams or hosts`;
}
