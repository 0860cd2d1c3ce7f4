// A large value crossing from the worker thread as JSON pieces the main thread can parse a few
// at a time, yielding between slices. One JSON.parse of a 1 MB validated runbook blocked the
// event loop 30-150 ms on a loaded machine (issue 6 §2: at most ~100 ms per scan).
// Semantics are JSON's: the value is what JSON.parse(JSON.stringify(value)) would give, with the
// same key order.

/** One piece: JSON text whose `slots` (left as null) are filled with earlier pieces. */
export interface Piece {
  json: string;
  slots: Array<[key: string | number, piece: number]>;
}

/** Children whose JSON is longer than this become pieces of their own. */
const CHILD_MAX = 512;
/** The main thread parses for about this long before letting the event loop run. */
const SLICE_MS = 8;

/** Splits `value` into pieces, children before parents; the last piece is the value itself. */
export function packJson(value: unknown): Piece[] {
  const pieces: Piece[] = [];
  const plain: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  const root = pack(plain, pieces);
  pieces.push(root);
  return pieces;
}

function pack(value: unknown, pieces: Piece[]): Piece {
  if (value === null || typeof value !== 'object') return { json: JSON.stringify(value), slots: [] };
  const slots: Piece['slots'] = [];
  const parts: string[] = [];
  const put = (key: string | number, child: unknown): string => {
    const piece = pack(child, pieces);
    if (piece.json.length <= CHILD_MAX && !piece.slots.length) return piece.json;
    pieces.push(piece);
    slots.push([key, pieces.length - 1]);
    return 'null';
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => parts.push(put(i, item)));
    return { json: `[${parts.join(',')}]`, slots };
  }
  for (const [key, child] of Object.entries(value)) parts.push(`${JSON.stringify(key)}:${put(key, child)}`);
  return { json: `{${parts.join(',')}}`, slots };
}

/** Rebuilds the value, yielding to the event loop every ~SLICE_MS of parsing. */
export async function unpackJson(pieces: Piece[]): Promise<unknown> {
  const built: unknown[] = [];
  let sliceStart = performance.now();
  for (const { json, slots } of pieces) {
    const value = JSON.parse(json) as Record<string | number, unknown>;
    for (const [key, index] of slots) {
      // defineProperty, not assignment: a "__proto__" key must stay an own key, as JSON.parse makes it.
      Object.defineProperty(value, key, { value: built[index], writable: true, enumerable: true, configurable: true });
      built[index] = undefined; // each piece has one parent; let it go
    }
    built.push(value);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return built[built.length - 1];
}
