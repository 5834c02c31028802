/**
 * Zod's default messages ("Invalid input: expected string, received number") rewritten
 * in the compiler's voice for issues the schema leaves to the default. Schema messages
 * (src/config) take precedence over this map, so it only covers generic shapes: missing
 * keys, wrong types, unknown enum values, unknown keys, sizes.
 */
import type { z } from 'zod';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? missingKey(issue.path, typeName(issue.expected))
        : `expected ${typeName(issue.expected)}, got ${valueKind(issue.input)}`;
    case 'invalid_value': {
      const [only, ...others] = issue.values.map(String);
      const expected = others.length === 0 ? `${only}` : `one of: ${[only, ...others].join(', ')}`;
      if (issue.input === undefined) return missingKey(issue.path, expected);
      return others.length === 0
        ? `expected ${expected}, got ${JSON.stringify(issue.input)}`
        : `unknown value ${JSON.stringify(issue.input)}; expected ${expected}`;
    }
    case 'unrecognized_keys': {
      // validate.ts prefixes this with each unknown key.
      const shape = (issue.inst as z.core.$ZodObject | undefined)?._zod.def.shape ?? {};
      return `expected one of: ${Object.keys(shape).join(', ')}`;
    }
    case 'invalid_key':
      return issue.issues.map((inner) => inner.message).join('; ');
    case 'too_small':
      return `expected at least ${issue.minimum}${unit(issue.origin)}`;
    case 'too_big':
      return `expected at most ${issue.maximum}${unit(issue.origin)}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `expected a string matching ${issue.pattern}`
        : `expected a ${issue.format}`;
    default:
      return undefined;
  }
};

function missingKey(path: readonly PropertyKey[] | undefined, expected: string): string {
  return `missing required key "${String(path?.at(-1))}"; expected ${expected}`;
}

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function valueKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeName(typeof value);
}

function unit(origin: string): string {
  return { array: ' item(s)', string: ' character(s)' }[origin] ?? '';
}
