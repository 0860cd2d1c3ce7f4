// Issue #6 §9: the README said abort "kills the current step" and /cutover help said "after its
// current step". Abort stops the run at once (engine.abort publishes to every process, whose
// running step's signal kills its process group; waits and approvals end) and undoes nothing:
// every place that explains it says so.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpReply, runCard } from '../../src/slack/blocks/index.js';
import { makeRun } from '../support/run-fixture.js';

const readmeRow = readFileSync('README.md', 'utf8').split('\n').find((l) => l.startsWith('| `/cutover abort <run>`'))!;
const help = JSON.stringify(helpReply());
const confirm = JSON.stringify(runCard(makeRun({ status: 'running' }), Date.now()).blocks);

describe('what abort does, said the same way everywhere', () => {
  it('never says it waits for the current step', () => {
    for (const text of [readmeRow, help, confirm]) expect(text).not.toMatch(/after (its|the) current step/);
  });

  it('says it kills a running command and undoes nothing', () => {
    expect(readmeRow).toMatch(/process group is killed/);
    expect(readmeRow).toMatch(/nothing is undone/);
    expect(help).toContain('stop a run now: kills a running command, ends waits and approvals; nothing is undone');
    expect(confirm).toContain('now: a running command is killed, waits and approvals end. Nothing is undone.');
  });
});
