// YAML text -> plain value, plus a way to find where a field path was written (line:col).
import { linePos, parseYamlTable, SEP, type YamlTable } from './yaml-table.js';

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
  return fromTable(parseYamlTable(text));
}

/** The table from `parseYamlTable` (inline or from the worker) as a value and a locator. */
export function fromTable(table: YamlTable): ParsedYaml {
  const at = (offset: number): Position => linePos(table.lineStarts, Math.max(offset, 0));
  const locate: Locate = (path, options = {}) => {
    let best = table.nodes.get('')?.[1] ?? 0;
    let prefix = '';
    for (const [i, segment] of path.entries()) {
      const key = `${prefix}${SEP}${String(segment)}`;
      const entry = table.nodes.get(key);
      if (!entry) break;
      const [keyAt, valueAt] = entry;
      if (i === path.length - 1 && options.key && keyAt >= 0) return at(keyAt);
      // `field:` with nothing after it: point at the key.
      if (valueAt < 0) {
        if (keyAt >= 0) return at(keyAt);
        break;
      }
      best = valueAt;
      prefix = key;
    }
    return at(best);
  };
  const errors = table.errors.map((e) => ({ position: at(e.offset), message: e.message }));
  return { value: table.value, locate, errors };
}
