// Serves emulator/page/ (plain HTML, CSS and one JS file; no build step).
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const PAGE_DIR = new URL('./page/', import.meta.url);

const FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/page/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/page/mrkdwn.js': ['mrkdwn.js', 'text/javascript; charset=utf-8'],
  '/page/blocks.js': ['blocks.js', 'text/javascript; charset=utf-8'],
  '/page/style.css': ['style.css', 'text/css; charset=utf-8'],
};

export async function servePage(path: string, res: ServerResponse): Promise<boolean> {
  const entry = FILES[path];
  if (!entry) return false;
  const content = await readFile(new URL(entry[0], PAGE_DIR));
  res.writeHead(200, { 'content-type': entry[1], 'cache-control': 'no-store' });
  res.end(content);
  return true;
}
