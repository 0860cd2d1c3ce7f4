// YAML text -> plain value plus a flat table of where each field was written. Plain data only
// (structured-cloneable), so the same function runs inline for small files and in a worker
// thread for large ones. Linear in the input: the YAML library's own unique-key check is
// quadratic (a 2 MB file took 69 s), so it is off and duplicate keys are found here with one Set
// per map. Nesting is bounded, and checked without recursion, before anything recurses.
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

/** Deeper nesting is refused: no runbook needs it, and recursion over it overflows the stack. */
export const MAX_DEPTH = 64;
export const TOO_DEEP = `nesting deeper than ${MAX_DEPTH} levels`;
/** Wider maps are refused: reading back one map of 90,000 keys alone blocked the loop 130 ms. */
export const MAX_MAP_KEYS = 1000;

export interface YamlTable {
  value: unknown;
  /** Field path (segments joined by NUL, root = '') -> [key offset, value offset]; -1 when absent. */
  nodes: Map<string, [number, number]>;
  /** Offsets where each line starts (line 1 at index 0). */
  lineStarts: number[];
  /** Syntax and structure errors by offset; when any, `value` is undefined. */
  errors: Array<{ offset: number; message: string }>;
}

export const SEP = '\u0000';

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of `offset` (binary search, as yaml's LineCounter). */
export function linePos(lineStarts: readonly number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! <= offset) low = mid + 1;
    else high = mid;
  }
  const line = Math.max(low, 1);
  return { line, col: offset - lineStarts[line - 1]! + 1 };
}

const start = (node: unknown): number => {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : -1;
};

export function parseYamlTable(text: string): YamlTable {
  const lineStarts = lineStartsOf(text);
  const nodes = new Map<string, [number, number]>();
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    // The library reports its own stack overflow as a syntax error wherever it happened to be.
    if (doc.errors.some((e) => e.message.includes('Maximum call stack'))) return tooDeep(text, lineStarts, nodes);
    const errors = doc.errors.map((e) => ({ offset: e.pos[0], message: e.message.split('\n')[0]!.trim() }));
    nodes.set('', [-1, start(doc.contents)]);
    if (!errors.length) errors.push(...walk(doc.contents, nodes));
    return { value: errors.length ? undefined : doc.toJS({ maxAliasCount: 100 }), nodes, lineStarts, errors };
  } catch (err) {
    // The parser itself recursing past the stack: the same stable message, at the start.
    if (err instanceof RangeError) return tooDeep(text, lineStarts, nodes);
    throw err;
  }
}

/** Records every field's position; finds duplicate keys and too-deep nesting. Iterative. */
function walk(root: unknown, nodes: YamlTable['nodes']): YamlTable['errors'] {
  const errors: YamlTable['errors'] = [];
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: root, path: '', depth: 0 }];
  while (stack.length) {
    const { node, path, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) {
      errors.push({ offset: Math.max(start(node), 0), message: TOO_DEEP });
      break;
    }
    if (isMap(node)) {
      if (node.items.length > MAX_MAP_KEYS) {
        errors.push({ offset: Math.max(start(node), 0), message: `a map with ${node.items.length} keys; at most ${MAX_MAP_KEYS} are allowed` });
        continue;
      }
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) errors.push({ offset: start(pair.key), message: `duplicate key "${key}"` });
        seen.add(key);
        const at = `${path}${SEP}${key}`;
        nodes.set(at, [start(pair.key), start(pair.value)]);
        stack.push({ node: pair.value, path: at, depth: depth + 1 });
      }
    } else {
      node.items.forEach((item, i) => {
        const at = `${path}${SEP}${i}`;
        nodes.set(at, [-1, start(item)]);
        stack.push({ node: item, path: at, depth: depth + 1 });
      });
    }
  }
  return errors.sort((a, b) => a.offset - b.offset);
}

/**
 * Nesting too deep for the parser itself. Points at the bracket where flow nesting passes the
 * limit (a scan over quotes and comments: only used here, after the parser gave up), else 1:1.
 */
function tooDeep(text: string, lineStarts: number[], nodes: YamlTable['nodes']): YamlTable {
  let depth = 0;
  let quote: string | null = null;
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) {
        offset = i;
        break;
      }
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return { value: undefined, nodes, lineStarts, errors: [{ offset, message: TOO_DEEP }] };
}
