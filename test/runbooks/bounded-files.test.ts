// Issue #6 §2: runbook files are bounded and parsing never stalls tzero. Size and step count are
// refused with a clear message, invalid UTF-8 names its byte offset, deep nesting gets one
// stable message, and a large file is parsed while the event loop keeps answering.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRunbookError } from '../../src/errors.js';
import { loadRunbookFile, loadRunbooks } from '../../src/runbooks/load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-bounded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = 'name: big\nchannel: C0CUTOVER\nroles: { lead: [U0LEAD] }\n';
const step = (i: number) => `  - { id: s${i}, uses: notify, with: { text: hi } }\n`;

async function problemsOf(name: string, content: string | Buffer): Promise<string[]> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  const err = await loadRunbookFile(file).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidRunbookError);
  return (err as InvalidRunbookError).problems.map((p) => p.replace(`${dir}${path.sep}`, ''));
}

describe('bounded runbook files', () => {
  it('refuses a file over 1 MB, from its size, in a folder scan and alone', async () => {
    const folder = await mkdtemp(path.join(dir, 'size-'));
    const text = `${HEAD}vars:\n  pad: "${'x'.repeat(1024 * 1024)}"\nsteps:\n${step(0)}`;
    await writeFile(path.join(folder, 'huge.yml'), text);
    const { invalid } = await loadRunbooks(folder);
    const expected = `huge.yml:1:1 (file): the file is ${Buffer.byteLength(text)} bytes; a runbook file may be at most 1 MB (1048576 bytes)`;
    expect(invalid.map((i) => i.problems.map((p) => p.replace(`${folder}${path.sep}`, '')))).toEqual([[expected]]);
    expect(await problemsOf('huge.yml', text)).toEqual([expected]);
  });

  it('refuses more than 500 steps', async () => {
    const text = `${HEAD}steps:\n${Array.from({ length: 501 }, (_, i) => step(i)).join('')}`;
    expect(await problemsOf('many.yml', text)).toEqual(['many.yml:4:1 steps: 501 steps; a runbook may have at most 500']);
  });

  it('names the byte offset of invalid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from(`${HEAD}title: "caf`), Buffer.from([0xc3]), Buffer.from('"\nsteps:\n'), Buffer.from(step(0))]);
    expect(await problemsOf('latin1.yml', bytes)).toEqual([
      `latin1.yml:4:12 (file): not valid UTF-8: invalid byte 0xc3 at byte offset ${Buffer.byteLength(HEAD) + 11}`,
    ]);
  });

  it('gives deep nesting one stable message, at the level where it goes too deep', async () => {
    const flow = `${HEAD}vars: { deep: ${'['.repeat(100_000)}${']'.repeat(100_000)} }\nsteps:\n${step(0)}`;
    const block = `${HEAD}steps:\n${step(0)}x:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}`;
    const flowProblems = await problemsOf('flow.yml', flow);
    expect(flowProblems).toEqual(['flow.yml:4:78 (yaml): nesting deeper than 64 levels']);
    expect(await problemsOf('block.yml', block)).toEqual(['block.yml:70:65 (yaml): nesting deeper than 64 levels']);
    expect(flowProblems.join()).not.toContain('call stack');
  });

  it('refuses a map of more than 1,000 keys', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => `  k${i}: v\n`).join('');
    expect(await problemsOf('wide-map.yml', `${HEAD}vars:\n${keys}steps:\n${step(0)}`)).toEqual([
      'wide-map.yml:5:3 (yaml): a map with 1001 keys; at most 1000 are allowed',
    ]);
  });

  it('finds duplicate keys itself (the YAML library does it in quadratic time)', async () => {
    const text = `${HEAD}vars:\n  a: 1\n  b: 2\n  a: 3\nsteps:\n${step(0)}`;
    expect(await problemsOf('dup.yml', text)).toEqual(['dup.yml:7:3 (yaml): duplicate key "a"']);
  });
});

describe('parsing a large runbook off the main thread', () => {
  it('answers HTTP requests while a large runbook is being parsed', async () => {
    const folder = await mkdtemp(path.join(dir, 'loop-'));
    // 40 request bodies of 1,000 keys (~360 KB): seconds of parsing and validating.
    const body = Array.from({ length: 1000 }, (_, k) => `k${k}: v`).join(', ');
    const steps = Array.from({ length: 40 }, (_, i) => `  - { id: s${i}, uses: http.request, with: { url: "http://127.0.0.1:9/", json: { ${body} } } }\n`);
    await writeFile(path.join(folder, 'wide.yml'), `${HEAD}steps:\n${steps.join('')}`);
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      let scanned = false;
      const scan = loadRunbooks(folder).then((r) => ((scanned = true), r));
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`).then((r) => r.text());
      expect(answer).toBe('ok');
      expect(scanned).toBe(false); // the health answer did not wait for the parse
      const { runbooks, invalid } = await scan;
      expect(invalid).toEqual([]);
      expect(runbooks.get('big')!.runbook.steps[39]!.with).toMatchObject({ json: { k999: 'v' } });
    } finally {
      server.close();
    }
  });
});
