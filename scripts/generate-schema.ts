/**
 * `npm run schema`: writes schema/edgeway.schema.json, the editor JSON Schema of
 * edgeway.yaml, from the zod schema, and the configuration reference in README.md from
 * that JSON Schema. Tests fail when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { edgewayJsonSchemaText } from '../src/config/json-schema.ts';
import { renderConfigReference, withConfigReference } from './lib/config-reference.ts';

const schemaFile = new URL('../schema/edgeway.schema.json', import.meta.url);
const readmeFile = new URL('../README.md', import.meta.url);

const schemaText = edgewayJsonSchemaText();
writeFileSync(schemaFile, schemaText);
console.log(`wrote ${schemaFile.pathname}`);

const reference = renderConfigReference(JSON.parse(schemaText));
writeFileSync(readmeFile, withConfigReference(readFileSync(readmeFile, 'utf8'), reference));
console.log(`updated the configuration reference in ${readmeFile.pathname}`);
