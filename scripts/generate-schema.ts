/**
 * `npm run schema`: writes schema/edgeway.schema.json, the editor JSON Schema of
 * edgeway.yaml, from the zod schema. A compiler test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { edgewayJsonSchemaText } from '../src/config/json-schema.ts';

const target = new URL('../schema/edgeway.schema.json', import.meta.url);
writeFileSync(target, edgewayJsonSchemaText());
console.log(`wrote ${target.pathname}`);
