// Issue #6 §2: the event loop's longest block while the runbooks folder is scanned with a 1 MB
// runbook in it (target <= 100 ms), for three shapes of 1 MB: 500 steps of long shell scripts;
// 90 request bodies of 1,000 keys (the widest maps allowed); one map of ~90,000 keys (the shape
// that took the YAML library's unique-key check 69 s per 2 MB; refused as too wide).
// Also how long a 20 MB file takes to be refused (from its size, without being read).
// Run alone: npx tsx bench/scan-event-loop.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadRunbooks } from '../src/runbooks/load.js';
import { stopYamlWorker } from '../src/runbooks/yaml-pool.js';
import type { Row } from './report.js';

const HEAD = 'name: big\nchannel: C0CUTOVER\nroles: { lead: [U0LEAD] }\n';
const MB = 1_000_000;

function manySteps(): string {
  let text = `${HEAD}steps:\n`;
  for (let i = 0; i < 500; i++) {
    text += `  - id: s${i}\n    uses: shell\n    with:\n      run: |\n`;
    const line = `        echo "step ${i}: ${'x'.repeat(40)}"\n`;
    for (let n = 0; n < Math.floor((MB / 500 - 70) / line.length); n++) text += line;
  }
  return text;
}

function wideBodies(): string {
  let text = `${HEAD}steps:\n`;
  const body = Array.from({ length: 1000 }, (_, k) => `k${k}: v`).join(', ');
  for (let i = 0; i < 90; i++) text += `  - { id: s${i}, uses: http.request, with: { url: "http://127.0.0.1:9/", json: { ${body} } } }\n`;
  return text;
}

function wideMap(): string {
  let vars = '';
  for (let i = 0; vars.length < MB - 200; i++) vars += `  k${i}: v\n`;
  return `${HEAD}vars:\n${vars}steps:\n  - { id: a, uses: notify, with: { text: hi } }\n`;
}

/**
 * Scans a folder holding `text`; returns the longest gap between 1 ms timer ticks, and the scan's
 * duration. Also the longest gap's busy part (event-loop utilisation): on a loaded machine a gap
 * also holds time the OS gave to other processes, which no code of ours can shorten.
 */
async function scanOnce(text: string): Promise<{ longestBlockMs: number; busyMs: number; scanMs: number; valid: number; invalid: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-bench-scan-'));
  writeFileSync(path.join(dir, 'big.yml'), text);
  let last = performance.now();
  let longest = 0;
  let busy = 0;
  let elu = performance.eventLoopUtilization();
  const tick = () => {
    const now = performance.now();
    const e = performance.eventLoopUtilization();
    if (now - last > longest) {
      longest = now - last;
      busy = performance.eventLoopUtilization(e, elu).active;
    }
    [last, elu] = [now, e];
  };
  const timer = setInterval(tick, 1);
  try {
    await new Promise((r) => setTimeout(r, 20)); // the ticker is running
    last = performance.now();
    elu = performance.eventLoopUtilization();
    const t0 = performance.now();
    const result = await loadRunbooks(dir);
    const scanMs = performance.now() - t0;
    tick();
    return { longestBlockMs: Math.round(longest), busyMs: Math.round(busy), scanMs: Math.round(scanMs), valid: result.runbooks.size, invalid: result.invalid.length };
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScanEventLoop(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [label, text] of [['500 steps', manySteps()], ['90 maps of 1,000 keys', wideBodies()], ['one map of 90k keys, refused', wideMap()]] as const) {
    await scanOnce(text); // warm-up: the worker thread starts, code is compiled
    const r = await scanOnce(text);
    rows.push({
      metric: `event loop longest block, scanning a 1 MB runbook (${label})`,
      value: r.longestBlockMs,
      unit: 'ms',
      target: { op: '<=', value: 100 },
      detail: `${(Buffer.byteLength(text) / MB).toFixed(2)} MB; ${r.busyMs} ms of it busy; scan took ${r.scanMs} ms; ${r.valid} valid, ${r.invalid} invalid`,
    });
  }
  const huge = await scanOnce(`${HEAD}vars:\n  pad: "${'x'.repeat(20 * MB)}"\nsteps: []\n`);
  rows.push({ metric: 'event loop longest block, scanning a 20 MB file (refused)', value: huge.longestBlockMs, unit: 'ms', target: { op: '<=', value: 100 }, detail: `refused in ${huge.scanMs} ms, from its size` });
  await stopYamlWorker();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./report.js');
  printTable(await benchScanEventLoop());
}
