/**
 * The source-document layer: a config file parsed into a plain value that still knows
 * where every part of it was written. Every route source (edgeway.yaml today, OpenAPI
 * documents later) is read through it, so validation and linking can turn any JSON path
 * into file:line:column without knowing YAML. JSON files are parsed by the same YAML
 * parser (JSON is YAML's flow style), so positions work the same way for both.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { JsonPath } from './json-path.ts';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Point at a map entry's value (the default) or at its key (e.g. for an unknown key). */
export type Focus = 'value' | 'key';

export interface SourceDocument {
  readonly file: string;
  readonly value: unknown;
  /** Where the value at `path` starts; for a path that does not exist, where its deepest existing ancestor starts. */
  locate(path: JsonPath, focus?: Focus): Position;
  /** Where `text` first occurs in the source of the value at `path`, else where that value starts. */
  locateText(path: JsonPath, text: string): Position;
}

/** A YAML syntax error, duplicate key or warning: the document cannot be trusted. */
export interface SyntaxProblem {
  readonly code: string;
  readonly message: string;
  readonly path: JsonPath;
  readonly position: Position;
}

interface Found {
  readonly node: Node | null;
  readonly key: Node | null;
  readonly reached: boolean;
}

const DOCUMENT_START: Position = { line: 1, column: 1 };

export function parseSourceDocument(
  file: string,
  text: string,
): { document: SourceDocument; problems: SyntaxProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: SyntaxProblem[] = [...doc.errors, ...doc.warnings].map((error) => ({
    code: error.code,
    message: error.message,
    path: pathAt(doc.contents, error.pos[0], []),
    position: position(error.pos[0]),
  }));
  const converted = toPlainValue(doc);
  if (!converted.ok)
    problems.push({ code: 'ALIAS_LIMIT', message: converted.message, path: [], position: DOCUMENT_START });

  const start = (node: Node | null) => (node?.range ? position(node.range[0]) : DOCUMENT_START);
  const document: SourceDocument = {
    file,
    value: converted.ok ? converted.value : null,
    locate(path, focus = 'value') {
      const { node, key, reached } = findNode(doc, path);
      if (reached && focus === 'key' && key) return start(key);
      return start(isEmpty(node) && key ? key : node);
    },
    locateText(path, needle) {
      const { node, reached } = findNode(doc, path);
      const index = reached && node?.range ? text.slice(node.range[0], node.range[1]).indexOf(needle) : -1;
      return index >= 0 && node?.range ? position(node.range[0] + index) : document.locate(path);
    },
  };
  return { document, problems };
}

/** Aliases can expand exponentially; yaml throws past its limit, which is a config error here. */
function toPlainValue(doc: Document): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS() };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function findNode(doc: Document, path: JsonPath): Found {
  let found: Found = { node: doc.contents, key: null, reached: true };
  for (const segment of path) {
    const container = isAlias(found.node) ? found.node.resolve(doc) : found.node;
    if (isSeq(container) && typeof segment === 'number' && segment < container.items.length) {
      found = { node: container.items[segment] as Node, key: null, reached: true };
    } else if (isMap(container)) {
      const pair = container.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return { ...found, reached: false };
      found = { node: pair.value as Node | null, key: pair.key as Node, reached: true };
    } else {
      return { ...found, reached: false };
    }
  }
  return found;
}

/** The JSON path of the innermost value or key that contains `offset`. */
function pathAt(node: unknown, offset: number, path: JsonPath): JsonPath {
  if (isSeq(node)) {
    const index = node.items.findIndex((item) => contains(item, offset));
    return index < 0 ? path : pathAt(node.items[index], offset, [...path, index]);
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const childPath = [...path, keyText(pair.key)];
      if (contains(pair.key, offset)) return childPath;
      if (contains(pair.value, offset)) return pathAt(pair.value, offset, childPath);
    }
  }
  return path;
}

function contains(node: unknown, offset: number): boolean {
  const range = (node as Node | null)?.range;
  return (
    range !== undefined && range !== null && range[0] <= offset && offset < Math.max(range[1], range[0] + 1)
  );
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** `key:` with nothing after it: its value has no text of its own, so point at the key. */
function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);
}
