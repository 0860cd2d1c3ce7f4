// Parses YAML text into a table (yaml-table.ts): inline when small, in one shared worker thread
// when large. Parsing 1 MB takes 100 ms to seconds depending on shape; inline that would stall
// every ack and /healthz. Small files (every real runbook) stay inline: a thread hop costs more.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseYamlTable, type YamlTable } from './yaml-table.js';

/** Texts up to this many characters are parsed on the calling thread. */
export const INLINE_MAX = 16 * 1024;

type Pending = { resolve: (t: YamlTable) => void; reject: (e: Error) => void };
let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function startWorker(): Worker {
  // Built: dist/…/yaml-worker.js. From sources (tests, tsx): the .ts file, after registering
  // tsx's loader inside the worker (Node 20 does not apply `--import` hooks to workers).
  const w = import.meta.url.endsWith('.ts')
    ? new Worker(
        'import(process.env.TZ_TSX_API).then((api) => { api.register(); return import(process.env.TZ_WORKER); })',
        {
          eval: true,
          env: {
            ...process.env,
            TZ_TSX_API: pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
            TZ_WORKER: new URL('./yaml-worker.ts', import.meta.url).href,
          },
        },
      )
    : new Worker(new URL('./yaml-worker.js', import.meta.url));
  w.on('message', (msg: { id: number; table?: YamlTable; error?: string }) => {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (!pending.size) w.unref();
    if (msg.table) p?.resolve(msg.table);
    else p?.reject(new Error(msg.error ?? 'YAML worker failed'));
  });
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`YAML worker exited (${code})`)));
  return w;
}

export function parseYamlText(text: string): Promise<YamlTable> {
  if (text.length <= INLINE_MAX) return Promise.resolve(parseYamlTable(text));
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  // Referenced only while a parse is pending: an idle worker never keeps the process alive.
  w.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, text });
  });
}

/** Stops the worker (tests, shutdown); the next large parse starts a new one. */
export async function stopYamlWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.terminate();
}
