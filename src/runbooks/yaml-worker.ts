// Worker thread body: parses YAML off the main thread, so a large runbook never blocks the
// event loop (acks, /healthz) while it is read.
import { parentPort } from 'node:worker_threads';
import { parseYamlTable } from './yaml-table.js';

parentPort!.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort!.postMessage({ id, table: parseYamlTable(text) });
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
