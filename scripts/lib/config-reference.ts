/**
 * Renders the README's configuration reference from the editor JSON Schema, so the
 * reference, the schema and the compiler all come from the one zod schema.
 */

interface SchemaNode {
  readonly type?: string | string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Record<string, SchemaNode>;
  readonly required?: readonly string[];
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description: string;
}

export const REFERENCE_START = '<!-- config-reference:start -->';
export const REFERENCE_END = '<!-- config-reference:end -->';

export function renderConfigReference(schema: SchemaNode): string {
  const sections = Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== '$schema')
    .map(([name, node]) => {
      const rows = fieldRows(node, name, (schema.required ?? []).includes(name));
      return `### \`${name}\`\n\n${node.description ?? ''}\n\n${table(rows)}`;
    });
  return `${REFERENCE_START}\n${sections.join('\n\n')}\n${REFERENCE_END}`;
}

/** Replaces the reference between the markers in `readme`. */
export function withConfigReference(readme: string, reference: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${REFERENCE_START} markers`);
  return readme.slice(0, start) + reference + readme.slice(end + REFERENCE_END.length);
}

function fieldRows(node: SchemaNode, path: string, required: boolean): Row[] {
  const own: Row = {
    path,
    type: typeName(node),
    required,
    default: node.default,
    description: node.description ?? '',
  };
  return [own, ...childRows(node, path)];
}

/** A tagged variant (a policy type): its fields are listed under `path (type: x)`. */
function variantRows(variant: SchemaNode, path: string): Row[] {
  const tag = variant.properties?.type?.const;
  return childRows(variant, tag === undefined ? path : `${path} (type: ${String(tag)})`);
}

function childRows(node: SchemaNode, path: string): Row[] {
  if (node.oneOf) return node.oneOf.flatMap((variant) => variantRows(variant, path));
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([name, child]) =>
      fieldRows(child, `${path}.${name}`, (node.required ?? []).includes(name)),
    );
  }
  if (typeof node.additionalProperties === 'object' && isStructured(node.additionalProperties)) {
    return childRows(node.additionalProperties, `${path}.<name>`);
  }
  if (node.items && isStructured(node.items)) return childRows(node.items, `${path}[]`);
  return [];
}

function isStructured(node: SchemaNode): boolean {
  return Boolean(node.properties || node.oneOf);
}

function typeName(node: SchemaNode): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  if (node.oneOf) return 'one of the types below';
  if (node.anyOf) return node.anyOf.map(typeName).join(' \\| ');
  if (node.items) return `list of ${typeName(node.items)}`;
  if (typeof node.additionalProperties === 'object') {
    const value = node.additionalProperties;
    return isStructured(value) ? 'map of name to object' : `map of name to ${typeName(value)}`;
  }
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'any');
  if (node.minimum !== undefined && node.maximum !== undefined)
    return `${type} (${node.minimum}-${node.maximum})`;
  return type;
}

function table(rows: readonly Row[]): string {
  const lines = rows.map((row) => {
    const fallback =
      row.default === undefined ? (row.required ? 'required' : '') : `\`${JSON.stringify(row.default)}\``;
    return `| \`${row.path}\` | ${row.type} | ${fallback} | ${escapeCell(row.description)} |`;
  });
  return ['| field | type | default | description |', '| --- | --- | --- | --- |', ...lines].join('\n');
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
