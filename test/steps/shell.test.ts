import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { parseOutputFile, prepareShellText } from '../../src/lib/shell-text.js';
import { shell } from '../../src/steps/shell.js';
import { fakeContext, runStep } from '../support/step-context.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-shell-test-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<StepFailure> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepFailure);
  return err as StepFailure;
}

/** True while the pid exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('shell', () => {
  it('runs a string with /bin/sh, streams output, reports exit_code 0', async () => {
    const result = await runStep(shell, { run: 'echo hello; echo to-stderr >&2', cwd: dir });
    expect(result.outputs).toEqual({ exit_code: 0 });
    expect(result.fake.output()).toContain('hello\n');
    expect(result.fake.output()).toContain('to-stderr\n');
    expect(result.summary).toMatch(/^exit 0 in /);
  });

  it('keeps an injected value out of the shell text: it arrives verbatim and nothing runs', async () => {
    const pwned = path.join(dir, 'pwned');
    const evil = `$(touch ${pwned}); rm -rf x \`touch ${pwned}\` "'; touch ${pwned}; '`;
    const result = await runStep(
      shell,
      { run: 'printf %s "${{ vars.reason }}" > got.txt; echo ${{ vars.reason }} > unquoted.txt', cwd: dir },
      { expressions: { 'vars.reason': evil } },
    );
    expect(result.outputs?.exit_code).toBe(0);
    expect(readFileSync(path.join(dir, 'got.txt'), 'utf8')).toBe(evil);
    // Even unquoted, the value is one argument, as typed: not split, not executed.
    expect(readFileSync(path.join(dir, 'unquoted.txt'), 'utf8').trim()).toBe(evil);
    expect(existsSync(pwned)).toBe(false);
    expect(result.fake.evaluated).toEqual(['vars.reason', 'vars.reason']);
  });

  it('refuses an expression inside single quotes, which would not expand', async () => {
    const err = await failure(runStep(shell, { run: "echo '${{ vars.x }}'" }, { expressions: { 'vars.x': 'v' } }));
    expect(err.message).toMatch(/single quotes/);
    expect(prepareShellText(`echo "it's" \${{ vars.x }} 'a\\'`, () => 'v').text).toBe(`echo "it's" "\${TZ_EXPR_0}" 'a\\'`);
    expect(() => prepareShellText("cat <<'EOF'\n${{ vars.x }}\nEOF", () => 'v')).toThrow(/quoted here-document/);
  });

  it('makes each ${{ }} exactly one argument wherever it stands: never split, never globbed', async () => {
    // `rm -rf /tmp/${{ d }}` with d = "a /" must not become `rm -rf /tmp/a /`: printf shows the argv.
    mkdirSync(path.join(dir, 'etc'));
    writeFileSync(path.join(dir, 'etc', 'passwd'), '');
    writeFileSync(path.join(dir, 'etc', 'passwd-'), '');
    const args = (file: string) => readFileSync(path.join(dir, file), 'utf8');
    const result = await runStep(
      shell,
      {
        run: [
          "printf '%s|' /tmp/${{ vars.d }} > rm.txt",
          'printf "%s|" etc/${{ vars.glob }} > glob.txt',
          'printf "%s|" pre${{ vars.d }}post ${{ vars.empty }} > joined.txt',
          'printf "%s|" "x $(printf "%s|" ${{ vars.d }}) y" > nested.txt',
          "# a comment that says don't ${{ vars.d }}",
          'for f in ${{ vars.d }}; do printf "%s|" "$f"; done > loop.txt',
          'cat > doc.txt <<EOF',
          'value: ${{ vars.d }} and "${{ vars.glob }}"',
          'EOF',
          'echo $(( ${{ vars.n }} + 1 )) > math.txt',
        ].join('\n'),
        cwd: dir,
      },
      { expressions: { 'vars.d': 'a /', 'vars.glob': 'pass*', 'vars.empty': '', 'vars.n': '41' } },
    );
    expect(result.outputs?.exit_code).toBe(0);
    expect(args('rm.txt')).toBe('/tmp/a /|');
    expect(args('glob.txt')).toBe('etc/pass*|');
    // An empty value is still one (empty) argument.
    expect(args('joined.txt')).toBe('prea /post||');
    expect(args('nested.txt')).toBe('x a /| y|');
    expect(args('loop.txt')).toBe('a /|');
    // A here-document body is not split, and quotes there would be literal: none are added.
    expect(args('doc.txt')).toBe('value: a / and "pass*"\n');
    expect(args('math.txt')).toBe('42\n');
  });

  it('runs the argv form without a shell, each element evaluated as one argument', async () => {
    const pwned = path.join(dir, 'pwned');
    const result = await runStep(
      shell,
      { run: ['/bin/sh', '-c', 'printf "%s|" "$@" > args.txt', 'sh', 'app=${{ vars.app }}', '$(touch pwned)'], cwd: dir },
      { expressions: { 'vars.app': 'restarters; touch pwned' } },
    );
    expect(result.outputs?.exit_code).toBe(0);
    expect(readFileSync(path.join(dir, 'args.txt'), 'utf8')).toBe('app=restarters; touch pwned|$(touch pwned)|');
    expect(existsSync(pwned)).toBe(false);
  });

  it('fails on a non-zero exit with the exit code as evidence; the output is streamed, not repeated as evidence', async () => {
    const fake = fakeContext(shell, { run: 'for i in $(seq 1 30); do echo line $i; done; exit 3' });
    const err = await failure(shell.execute(fake.ctx));
    expect(err.message).toBe('command failed: exit code 3');
    expect(err.evidence).toEqual([expect.stringMatching(/^exit code 3 after /)]);
    expect(fake.output()).toContain('line 30'); // shown once, under "Output (last lines)"
  });

  it('reports a command that cannot be started', async () => {
    const err = await failure(runStep(shell, { run: ['/nonexistent/fly', 'deploy'] }));
    expect(err.message).toMatch(/could not start the command: .*ENOENT/);
  });

  it('turns key=value lines and heredocs written to $TZERO_OUTPUT into outputs', async () => {
    const result = await runStep(shell, {
      run: 'echo "rows=1234" >> "$TZERO_OUTPUT"; printf "notes<<EOF\\nline one\\nline two\\nEOF\\n" >> "$TZERO_OUTPUT"; echo "exit_code=7" >> "$TZERO_OUTPUT"',
    });
    expect(result.outputs).toEqual({ rows: '1234', notes: 'line one\nline two', exit_code: 0 });
    expect(parseOutputFile('a=1\nnot a pair\nb==2\n')).toEqual({ a: '1', b: '=2' });
  });

  it('passes env (resolved by the engine) but not the bot process environment', async () => {
    process.env.SLACK_BOT_TOKEN_FOR_TEST = 'xoxb-leak';
    try {
      const result = await runStep(shell, {
        run: 'echo "token=${FLY_API_TOKEN} slack=${SLACK_BOT_TOKEN_FOR_TEST:-unset} path=${PATH:+set}" >> "$TZERO_OUTPUT"',
        env: { FLY_API_TOKEN: '${{ secrets.FLY_API_TOKEN }}' },
      }, { expressions: { 'secrets.FLY_API_TOKEN': 'fo1_abc' } });
      expect(result.outputs?.token).toBe('fo1_abc slack=unset path=set');
    } finally {
      delete process.env.SLACK_BOT_TOKEN_FOR_TEST;
    }
  });

  it('on timeout kills the whole process group, grandchildren included', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const started = Date.now();
    const err = await failure(runStep(shell, { run: `sleep 30 & echo $! > ${pidFile}; sleep 30`, timeout: '500ms' }));
    expect(err.message).toMatch(/timed out after 500ms; the process group was killed/);
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(false);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const pidFile = path.join(dir, 'stubborn.pid');
    const err = await failure(
      runStep(shell, { run: `(trap "" TERM; sleep 30) & echo $! > ${pidFile}; trap "" TERM; sleep 30`, timeout: '300ms' }),
    );
    expect(err.message).toMatch(/timed out/);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('on abort kills the group and rethrows the abort reason (not a step failure)', async () => {
    const controller = new AbortController();
    const pidFile = path.join(dir, 'grandchild.pid');
    const { ctx, checkpoints } = fakeContext(shell, { run: `sleep 30 & echo $! > ${pidFile}; wait` }, { signal: controller.signal });
    const running = shell.execute(ctx);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort(new Error('run aborted by U0LEAD'));
    await expect(running).rejects.toThrow('run aborted by U0LEAD');
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    expect(checkpoints.has('process')).toBe(false);
  });

  it('does not run the command again on a re-run after a crash (checkpointed result)', async () => {
    const checkpoints = new Map<string, unknown>();
    const counter = path.join(dir, 'count');
    const run = { run: `echo x >> ${counter}; echo "n=$(wc -l < ${counter})" >> "$TZERO_OUTPUT"` };
    const first = await runStep(shell, run, { checkpoints });
    const again = await runStep(shell, run, { checkpoints });
    expect(readFileSync(counter, 'utf8')).toBe('x\n');
    expect(again.outputs).toEqual(first.outputs);
  });

  it('describes without running; the raw command is shown with its expressions unresolved', () => {
    const input = shell.input.parse({ run: 'fly deploy -a ${{ vars.fly_app }}' });
    expect(shell.describe(input)).toBe('run `fly deploy -a ${{ vars.fly_app }}` (timeout 10m)');
    expect(shell.describe(shell.input.parse({ run: ['fly', 'ssh', 'console', '-C', 'php artisan queue:failed'] }))).toBe(
      'run `fly ssh console -C "php artisan queue:failed"` (timeout 10m)',
    );
    expect(() => shell.input.parse({ run: 'x', tiemout: '1m' })).toThrow();
  });
});

describe('shell outputs:', () => {
  it('json: the top-level keys of the JSON stdout become outputs, stderr is ignored', async () => {
    const result = await runStep(shell, { run: 'echo "warming up" >&2; echo \'{"missing": 0, "extra": 3, "tables": ["a"]}\'', outputs: 'json' });
    expect(result.outputs).toMatchObject({ missing: 0, extra: 3, tables: ['a'], exit_code: 0 });
  });

  it('json: stdout that is not one JSON object fails the step, saying so', async () => {
    expect((await failure(runStep(shell, { run: 'echo not json', outputs: 'json' }))).message).toMatch(/stdout is not JSON/);
    expect((await failure(runStep(shell, { run: 'echo "[1,2]"', outputs: 'json' }))).message).toMatch(/one JSON object/);
  });

  it('lines and { name: regex }', async () => {
    const lines = await runStep(shell, { run: 'printf "a\\n\\nb\\n"', outputs: 'lines' });
    expect(lines.outputs?.lines).toEqual(['a', 'b']);
    const re = await runStep(shell, { run: ['sh', '-c', 'echo "Image = registry.fly.io/app:v42"; echo "rows: 1200"'], outputs: { image: 'Image\\s*=\\s*(\\S+)', rows: 'rows: \\d+' } });
    expect(re.outputs).toMatchObject({ image: 'registry.fly.io/app:v42', rows: 'rows: 1200' });
    expect((await failure(runStep(shell, { run: 'echo nothing', outputs: { rows: 'rows=(\\d+)' } }))).message).toMatch(/nothing in stdout matched rows/);
  });

  it('parses once: a re-run after a crash reads the checkpoint instead of running again', async () => {
    const checkpoints = new Map<string, unknown>();
    const marker = path.join(dir, 'count');
    const run = `echo x >> ${marker}; echo '{"n": 1}'`;
    await runStep(shell, { run, outputs: 'json' }, { checkpoints });
    const again = await runStep(shell, { run, outputs: 'json' }, { checkpoints });
    expect(again.outputs?.n).toBe(1);
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
  });
});
