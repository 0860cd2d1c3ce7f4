// A small JSON path: `a.b[0].c`, optionally starting with `$` (`$.data.id`), with quoted keys
// for names that contain dots (`headers["x.y"]`). Enough for `expect.json` and `outputs`.

export type PathSegment = string | number;

const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[(?:"([^"]*)"|'([^']*)')\])/;

/** Splits a path into keys and indices; throws on anything it cannot read. */
export function parseJsonPath(path: string): PathSegment[] {
  let rest = path.trim();
  if (rest === '$') return [];
  if (rest.startsWith('$')) rest = rest.slice(1);
  const segments: PathSegment[] = [];
  while (rest.length) {
    const m = SEGMENT.exec(rest);
    if (!m) {
      throw new Error(`cannot read JSON path "${path}" at "${rest}" (use e.g. data.items[0].id)`);
    }
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push((m[3] ?? m[4])!);
    rest = rest.slice(m[0].length);
  }
  return segments;
}

export function isJsonPath(path: string): boolean {
  try {
    parseJsonPath(path);
    return true;
  } catch {
    return false;
  }
}

export type PathLookup = { found: true; value: unknown } | { found: false; missingAt: string };

/** Reads `path` in `document`; says where it stopped when a key or index is missing. */
export function readJsonPath(document: unknown, path: string): PathLookup {
  let current: unknown = document;
  let walked = '$';
  for (const segment of parseJsonPath(path)) {
    walked += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return { found: false, missingAt: walked };
      current = current[segment];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) {
        return { found: false, missingAt: walked };
      }
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}
