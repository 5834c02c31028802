/** The committed editor JSON Schema is what the zod schema generates, and documents every field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { edgewayJsonSchemaText } from '../../../src/config/json-schema.ts';
import { policyCatalog } from '../../../src/config/policy-catalog.ts';

const committed = readFileSync(new URL('../../../schema/edgeway.schema.json', import.meta.url), 'utf8');

/** JSON pointers of properties that have no description, anywhere in the schema. */
function undescribed(node: unknown, pointer = '#'): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const entries = Object.entries(node);
  const own = entries.flatMap(([key, child]) =>
    key === 'properties'
      ? Object.entries(child as Record<string, { description?: string }>)
          .filter(([, property]) => !property.description)
          .map(([name]) => `${pointer}/properties/${name}`)
      : [],
  );
  return [...own, ...entries.flatMap(([key, child]) => undescribed(child, `${pointer}/${key}`))];
}

describe('schema/edgeway.schema.json', () => {
  it('is up to date (run `npm run schema`)', () => {
    expect(committed).toBe(edgewayJsonSchemaText());
  });

  it('describes every field', () => {
    expect(undescribed(JSON.parse(committed))).toEqual([]);
  });

  it('validates policy options by type', () => {
    const policy = JSON.parse(committed).properties.policies.additionalProperties;
    expect(
      policy.oneOf.map(
        (variant: { properties: { type: { const: string } } }) => variant.properties.type.const,
      ),
    ).toEqual(Object.keys(policyCatalog));
  });
});
