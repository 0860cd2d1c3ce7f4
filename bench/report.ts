// The results table (figure, target, PASS/MISS) and bench/results.json.
import { writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Row {
  metric: string;
  value: number;
  unit: string;
  /** e.g. '<= 1.25'; absent for figures reported without a target. */
  target?: { op: '<=' | '>=' | '='; value: number };
  detail?: string;
}

export const verdict = (r: Row): 'PASS' | 'MISS' | 'info' =>
  !r.target ? 'info' : (r.target.op === '<=' ? r.value <= r.target.value : r.target.op === '>=' ? r.value >= r.target.value : r.value === r.target.value) ? 'PASS' : 'MISS';

const fmt = (v: number, unit: string) => `${Number.isInteger(v) ? v : v.toFixed(2)}${unit ? ` ${unit}` : ''}`;

export function printTable(rows: Row[]): void {
  const lines = rows.map((r) => [r.metric, fmt(r.value, r.unit), r.target ? `${r.target.op} ${fmt(r.target.value, r.unit)}` : '-', verdict(r), r.detail ?? '']);
  const head = ['figure', 'measured', 'target', 'result', 'beside it'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const l of lines) console.log(l[3] === 'MISS' ? `\x1b[31m${line(l)}\x1b[0m` : line(l));
  const missed = rows.filter((r) => verdict(r) === 'MISS');
  console.log(missed.length ? `\n\x1b[31m${missed.length} MISS: ${missed.map((r) => r.metric).join('; ')}\x1b[0m` : '\nall targets met');
}

export function machine(loadAtStart: number[]) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', totalMemMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version, platform: `${os.platform()} ${os.release()}`,
    // Other work on the machine skews latencies: the 1-minute load average before and after.
    loadavg1m: { atStart: round(loadAtStart[0]!), atEnd: round(os.loadavg()[0]!) },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

export function writeResults(file: string, data: { rows: Row[]; details: unknown; loadAtStart: number[]; benchMs: number; notes: string[] }): void {
  const figures = data.rows.map((r) => ({ ...r, result: verdict(r) }));
  const out = { date: new Date().toISOString(), machine: machine(data.loadAtStart), benchMs: data.benchMs, figures, notes: data.notes, details: data.details };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
}
