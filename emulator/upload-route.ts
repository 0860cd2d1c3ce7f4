// The upload_url that files.getUploadURLExternal hands out (POST the bytes: 200 = success), and
// the file download the page links to.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

async function readBytes(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FILE_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function handleUpload(req: IncomingMessage, res: ServerResponse, path: string, ctx: EmulatorContext): Promise<boolean> {
  const up = /^\/upload\/(F[A-Z0-9]+)$/.exec(path);
  if (up && req.method === 'POST') {
    const file = ctx.files.get(up[1]!);
    const bytes = await readBytes(req);
    if (!file || file.shared) return void res.writeHead(404).end('not found'), true;
    if (!bytes) return void res.writeHead(413).end('too large'), true;
    file.bytes = bytes;
    ctx.store.changed();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
    return true;
  }
  const get = /^\/files\/(F[A-Z0-9]+)(?:\/[^/]*)?$/.exec(path);
  if (get && req.method === 'GET') {
    const file = ctx.files.get(get[1]!);
    if (!file?.bytes || !file.shared) return void res.writeHead(404).end('not found'), true;
    // Served as plain text: the page shows a report, never runs it.
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-disposition': `inline; filename="${file.name.replace(/[^\w.-]/g, '_')}"` }).end(file.bytes);
    return true;
  }
  return false;
}
