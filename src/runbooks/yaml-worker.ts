// Worker thread body: parses (and for runbooks, validates) off the main thread, so a large file
// never blocks the event loop (acks, /healthz) while it is read. Runbook results cross as JSON
// pieces (chunked-json.ts), which the main thread reads back a slice at a time.
import { parentPort } from 'node:worker_threads';
import { packJson } from './chunked-json.js';
import type { KnownMonitors } from './known-monitors.js';
import { parseRunbookText } from './parse-runbook.js';
import { parseYamlTable } from './yaml-table.js';

type Request =
  | { id: number; kind: 'yaml'; text: string }
  | { id: number; kind: 'runbook'; text: string; file: string; monitors?: KnownMonitors };

parentPort!.on('message', (req: Request) => {
  try {
    if (req.kind === 'yaml') parentPort!.postMessage({ id: req.id, table: parseYamlTable(req.text) });
    else parentPort!.postMessage({ id: req.id, pieces: packJson(parseRunbookText(req.text, req.file, req.monitors)) });
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message });
  }
});
