// Small helpers over node:http so the emulator needs no framework.
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/**
 * Web API arguments from a form or JSON body. Form values stay strings; callers decode
 * JSON-encoded fields (blocks, view) themselves so a malformed one can get its own error.
 */
export function parseArgs(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  if ((contentType ?? '').includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export type Decoded<T> = { ok: true; value: T | undefined } | { ok: false };

/** A field that a form body carries as a JSON string and a JSON body carries as a value. */
export function decodeJsonField<T>(value: unknown): Decoded<T> {
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: true, value: value as T };
  try {
    return { ok: true, value: JSON.parse(value) as T };
  } catch {
    return { ok: false };
  }
}

/** Form values arrive as strings: "true"/"1" count as true. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
