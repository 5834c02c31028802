/**
 * The editor JSON Schema (schema/edgeway.schema.json), generated from the zod schema so
 * the two cannot drift. It describes what users write (zod's input side: fields with
 * defaults are optional), and `npm run schema` writes it.
 */
import { z } from 'zod';
import { EdgewaySourceSchema } from './source.ts';

export function edgewayJsonSchemaText(): string {
  const { $schema, ...schema } = z.toJSONSchema(EdgewaySourceSchema, {
    io: 'input',
    target: 'draft-2020-12',
  });
  return `${JSON.stringify({ $schema, title: 'edgeway.yaml', ...schema }, null, 2)}\n`;
}
