// YAML text -> plain value, plus a way to find where a field path was written (line:col).
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export type FieldPath = readonly PropertyKey[];
export interface Position {
  line: number;
  col: number;
}
/**
 * Where `path` was written. A path that does not exist resolves to its nearest existing parent.
 * `key: true` points at the key of the last segment rather than its value.
 */
export type Locate = (path: FieldPath, options?: { key?: boolean }) => Position;

export interface ParsedYaml {
  value: unknown;
  locate: Locate;
  /** Syntax errors, each with its position. */
  errors: Array<{ position: Position; message: string }>;
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined): Position => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, col };
  };
  const errors = doc.errors.map((e) => ({ position: at(e.pos[0]), message: firstLine(e.message) }));
  const locate: Locate = (path, options = {}) => {
    let node: unknown = doc.contents;
    let best = rangeStart(node) ?? 0;
    for (const [i, segment] of path.entries()) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        if (i === path.length - 1 && options.key) return at(rangeStart(pair.key));
        next = pair.value;
        // `field:` with nothing after it: point at the key.
        if (rangeStart(next) === undefined) return at(rangeStart(pair.key));
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
      }
      const start = rangeStart(next);
      if (start === undefined) break;
      node = next;
      best = start;
    }
    return at(best);
  };
  return { value: errors.length ? undefined : doc.toJS({ maxAliasCount: 100 }), locate, errors };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
