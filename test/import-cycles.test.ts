// No import cycles in src/ (conventions §7), type-only imports included: a cycle through types
// still couples two files so that neither can change alone. Walks the real import graph.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files(root)) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(IMPORT)].map((m) => path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    graph.set(file, deps);
  }
  return graph;
}

/** Every elementary cycle found by a depth-first walk, as relative paths. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'closed'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(SRC, x)));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'closed');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

it('finds a cycle when there is one (the walker itself works)', () => {
  const g = new Map([[`${SRC}/a.ts`, [`${SRC}/b.ts`]], [`${SRC}/b.ts`, [`${SRC}/a.ts`]]]);
  expect(findCycles(g)).toEqual([['a.ts', 'b.ts', 'a.ts']]);
});

it('src/ has no import cycles (step-runner ↔ step-outcome and outbox ↔ outbox-sync included)', () => {
  const graph = importGraph(SRC);
  expect(graph.get(path.join(SRC, 'engine/step-outcome.ts'))).toBeDefined();
  expect(findCycles(graph)).toEqual([]);
});
