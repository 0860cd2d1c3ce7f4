// Parses YAML (and validates runbooks) inline when the text is small, in one shared worker
// thread when it is large. Parsing and validating 1 MB takes from 100 ms to seconds depending on
// its shape; inline, that would stall every ack and /healthz. Small files (every real runbook)
// stay inline: a thread hop costs more than they do.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { unpackJson, type Piece } from './chunked-json.js';
import type { KnownMonitors } from './known-monitors.js';
import { parseRunbookText, type ParseOutcome } from './parse-runbook.js';
import { parseYamlTable, type YamlTable } from './yaml-table.js';

/** Texts up to this many characters are handled on the calling thread. */
export const INLINE_MAX = 16 * 1024;

type Reply = { id: number; table?: YamlTable; pieces?: Piece[]; error?: string };
type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };
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
  w.unref();
  w.on('message', (msg: Reply) => {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (!pending.size) w.unref();
    if (msg.error !== undefined) p?.reject(new Error(msg.error));
    else p?.resolve(msg);
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

function ask(request: Record<string, unknown>): Promise<Reply> {
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  // Referenced only while a request is pending: an idle worker never keeps the process alive.
  w.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ ...request, id });
  });
}

export async function parseYamlText(text: string): Promise<YamlTable> {
  if (text.length <= INLINE_MAX) return parseYamlTable(text);
  return (await ask({ kind: 'yaml', text })).table!;
}

/** Parses and validates a runbook's text (see parse-runbook.ts). */
export async function parseRunbook(text: string, file: string, monitors: KnownMonitors | undefined): Promise<ParseOutcome> {
  if (text.length <= INLINE_MAX) return parseRunbookText(text, file, monitors);
  return (await unpackJson((await ask({ kind: 'runbook', text, file, monitors })).pieces!)) as ParseOutcome;
}

/** Stops the worker (tests, benchmarks); the next large file starts a new one. */
export async function stopYamlWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.terminate();
}
