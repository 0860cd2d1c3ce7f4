// Validation of the rehearsal fields (issue 6 §3): `dry_run`, `dry_run_outputs`, `needs_effect_of`,
// each problem reported as `file:line:col field.path: message`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InvalidRunbookError } from '../../src/errors.js';
import { loadRunbookFile } from '../../src/runbooks/load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-rehearsal-fields-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Line numbers matter: keep the layout.
const HEAD = `name: demo
channel: C0CUTOVER
vars: { version: v2 }
steps:
  - { id: deploy, uses: shell, with: { run: ./deploy.sh } }
`;

async function load(name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, HEAD + text);
  return loadRunbookFile(file);
}

async function problemsOf(name: string, text: string): Promise<string[]> {
  const err = await load(name, text).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidRunbookError);
  return (err as InvalidRunbookError).problems.map((p) => p.replace(`${dir}${path.sep}`, ''));
}

it('accepts the rehearsal fields and keeps them in the snapshot', async () => {
  const { runbook } = await load('ok.yml', `  - id: check
    uses: shell
    dry_run: run
    needs_effect_of: deploy
    dry_run_outputs: { release: "\${{ vars.version }}", rows: 42 }
    with: { run: "jq -e .ok state.json" }
  - { id: both, uses: notify, needs_effect_of: [deploy, check], dry_run: describe, with: { text: hi } }
`);
  expect(runbook.steps[1]).toMatchObject({ dry_run: 'run', needs_effect_of: 'deploy', dry_run_outputs: { release: '${{ vars.version }}', rows: 42 } });
  expect(runbook.steps[2]).toMatchObject({ dry_run: 'describe', needs_effect_of: ['deploy', 'check'] });
});

it('refuses a bad dry_run value', async () => {
  const problems = await problemsOf('bad-mode.yml', `  - { id: check, uses: shell, dry_run: yes-please, with: { run: "true" } }\n`);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^bad-mode\.yml:6:40 steps\[1\]\.dry_run: .*"run".*"describe"/);
});

it('refuses needs_effect_of naming an unknown step, a later step, or the step itself', async () => {
  expect(await problemsOf('unknown.yml', `  - { id: check, uses: shell, needs_effect_of: deplyo, with: { run: "true" } }\n`)).toEqual([
    'unknown.yml:6:48 steps[1].needs_effect_of: unknown step "deplyo" (earlier: deploy)',
  ]);
  expect(await problemsOf('later.yml', `  - { id: check, uses: shell, needs_effect_of: [deploy, flip], with: { run: "true" } }
  - { id: flip, uses: shell, with: { run: "true" } }
`)).toEqual(['later.yml:6:57 steps[1].needs_effect_of[1]: "flip" is a later step (steps[2]); needs_effect_of names an earlier step (earlier: deploy)']);
  expect(await problemsOf('self.yml', `  - { id: check, uses: shell, needs_effect_of: check, with: { run: "true" } }\n`)).toEqual([
    'self.yml:6:48 steps[1].needs_effect_of: a step cannot depend on its own effect; name an earlier step (earlier: deploy)',
  ]);
});

it('checks the expressions of dry_run_outputs like those of with', async () => {
  expect(await problemsOf('outputs.yml', `  - id: check
    uses: shell
    dry_run_outputs: { a: "\${{ vars.nope }}", b: "\${{ steps.later.outputs.x }}" }
    with: { run: "true" }
  - { id: later, uses: shell, with: { run: "true" } }
`)).toEqual([
    'outputs.yml:8:27 steps[1].dry_run_outputs.a: unknown variable "vars.nope" (declared: version)',
    'outputs.yml:8:50 steps[1].dry_run_outputs.b: "steps.later" is not an earlier step (earlier: deploy)',
  ]);
});

it('README and docs/steps.md document the rehearsal fields, needs_effect_of and if: "!run.dry_run"', async () => {
  const { readFile } = await import('node:fs/promises');
  for (const file of ['README.md', 'docs/steps.md']) {
    const text = await readFile(new URL(`../../${file}`, import.meta.url), 'utf8');
    for (const words of ['dry_run: run', 'dry_run_outputs', 'needs_effect_of', 'if: "!run.dry_run"', 'not rehearsed', 'skipped by hand']) {
      expect(text, `${file} mentions ${words}`).toContain(words);
    }
  }
});
