// Bounds on a runbook file, checked before it is parsed: real runbooks are a few KB and a few
// dozen steps; anything far larger is a mistake (or an attack) and must not stall tzero.
import { isUtf8 } from 'node:buffer';
import { lineStartsOf, linePos } from './yaml-table.js';

export const MAX_BYTES = 1024 * 1024;
export const MAX_STEPS = 500;

export interface Refusal {
  line: number;
  col: number;
  message: string;
}

/** Size, then encoding. Takes `{length}` alone to refuse a file from its size before reading it. */
export function checkBytes(bytes: { length: number } | Buffer): Refusal | null {
  if (bytes.length > MAX_BYTES) {
    return { line: 1, col: 1, message: `the file is ${bytes.length} bytes; a runbook file may be at most 1 MB (${MAX_BYTES} bytes)` };
  }
  if (!Buffer.isBuffer(bytes) || isUtf8(bytes)) return null;
  const offset = firstInvalidUtf8(bytes);
  const { line, col } = linePos(lineStartsOf(bytes.subarray(0, offset).toString('latin1')), offset);
  return { line, col, message: `not valid UTF-8: invalid byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at byte offset ${offset}` };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
