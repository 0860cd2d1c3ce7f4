// Reads a request body as bytes with a hard cap: past `limit` it stops reading and reports
// `too-large` (a declared Content-Length over the cap is refused before reading anything).
import type { IncomingMessage } from 'node:http';

export type RawBody = { ok: true; raw: Buffer } | { ok: false; error: 'too-large' | 'aborted' };

export function readRawBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, error: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (r: RawBody) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      if (!r.ok) req.pause();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return done({ ok: false, error: 'too-large' });
      chunks.push(chunk);
    };
    const onEnd = () => done({ ok: true, raw: Buffer.concat(chunks, size) });
    const onError = () => done({ ok: false, error: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}
