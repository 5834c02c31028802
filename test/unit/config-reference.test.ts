/** The README's configuration reference is generated from the schema and lists every field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigReference, withConfigReference } from '../../scripts/lib/config-reference.ts';
import { edgewayJsonSchemaText } from '../../src/config/json-schema.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const reference = renderConfigReference(JSON.parse(edgewayJsonSchemaText()));

describe('README configuration reference', () => {
  it('is up to date (run `npm run schema`)', () => {
    expect(withConfigReference(readme, reference)).toBe(readme);
  });

  it('documents fields at every depth, including each policy type', () => {
    for (const field of [
      '`upstreams.<name>.timeoutMs`',
      '`routes[].redirect.status`',
      '`policies.<name> (type: set-headers).options.remove`',
      '`environments.<name>.vars`',
    ]) {
      expect(reference).toContain(`| ${field} |`);
    }
  });

  it('refuses a README without the markers', () => {
    expect(() => withConfigReference('# no markers', reference)).toThrow(/config-reference:start/);
  });
});
