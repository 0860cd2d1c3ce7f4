// Runs a command. Injection-proof by construction: `run` is a raw field, and every `${{ expr }}`
// in it becomes an environment variable (TZ_EXPR_<n>) referenced as `${TZ_EXPR_<n>}`, so a value
// typed in Slack is data for the shell, never shell text. The argv form uses no shell at all.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { baseEnv, runProcess } from '../lib/process-runner.js';
import { parseOutputFile, prepareShellText, substituteExpressions } from '../lib/shell-text.js';
import { parseStdout, STDOUT_MAX, StdoutOutputs } from '../lib/stdout-outputs.js';
import { previewArgv, previewShellText } from '../lib/shell-preview.js';
import { formatDuration, parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const Input = z.strictObject({
  run: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), Scalar).default({}),
  cwd: z.string().min(1).optional(),
  timeout: Duration.default('10m'),
  /** Parse stdout into outputs: `json`, `lines`, or `{ name: regex }`. */
  outputs: StdoutOutputs.optional(),
});
type Input = z.output<typeof Input>;

function describeCommand(run: string | string[], resolve?: (expression: string) => string): string {
  // A dry run resolves the expressions (secrets masked); without a resolver the command is shown as written.
  if (resolve) return typeof run === 'string' ? previewShellText(run, resolve).trim() : previewArgv(run, resolve);
  return typeof run === 'string' ? run.trim() : run.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export const shell = defineStep<Input>({
  id: 'shell',
  description:
    'Runs a command (`/bin/sh -c` for a string, no shell for a list). `${{ }}` values reach the shell as environment variables, never as shell text. Exit ≠ 0 fails; `key=value` lines written to $TZERO_OUTPUT become outputs, and `outputs:` (json, lines or { name: regex }) parses stdout into outputs.',
  input: Input,
  sideEffects: true,
  dryRun: 'describe',
  rawFields: ['run'],
  examples: [
    {
      description: 'Put the old server in maintenance mode',
      with: { run: 'ssh deploy@restart-sp "cd /var/www/restarters && php artisan down --retry=60"', timeout: '2m' },
    },
    {
      description: 'Final database and image sync (about 6 minutes), reporting row counts as outputs',
      with: {
        run: './fly-migrate.sh --db --images && echo "rows=$(./fly-migrate.sh --count)" >> "$TZERO_OUTPUT"',
        cwd: '/opt/restarters',
        env: { FLY_API_TOKEN: '${{ secrets.FLY_API_TOKEN }}' },
        timeout: '20m',
      },
    },
    {
      description: 'Reconcile the copied tables; the script prints {"missing": 0, "extra": 3}, read by a later assert',
      with: { run: './reconcile.sh --json', cwd: '/opt/restarters', outputs: 'json' },
    },
    {
      description: 'Read the release a server reports, by regular expression',
      with: { run: ['fly', 'status', '-a', '${{ vars.fly_app }}'], outputs: { image: 'Image\\s*=\\s*(\\S+)' } },
    },
    {
      description: 'Check for failed jobs on the new app, argv form (no shell)',
      with: { run: ['fly', 'ssh', 'console', '-a', '${{ vars.fly_app }}', '-C', 'php artisan queue:failed'] },
    },
  ],
  describe: (input, resolve) => `run \`${describeCommand(input.run, resolve)}\`${input.cwd ? ` in ${input.cwd}` : ''} (timeout ${input.timeout})`,
  async execute(ctx) {
    const { input } = ctx;
    const prepared =
      typeof input.run === 'string'
        ? prepareShellText(input.run, (e) => ctx.evaluate(e))
        : { text: undefined, env: {}, argv: input.run.map((arg) => substituteExpressions(arg, (e) => ctx.evaluate(e))) };
    const timeoutMs = parseDuration(input.timeout);

    // A crash after the command finished must not run it twice: the result is checkpointed.
    const result = await ctx.checkpoint('process', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-shell-'));
      const outputFile = path.join(dir, 'output');
      try {
        await writeFile(outputFile, '');
        let stdout = '';
        const run = await runProcess({
          command: 'argv' in prepared ? prepared.argv : prepared.text!,
          env: { ...baseEnv(), ...input.env, ...prepared.env, TZERO_OUTPUT: outputFile },
          cwd: input.cwd,
          timeoutMs,
          signal: ctx.signal,
          onOutput: (chunk) => ctx.stream(chunk),
          onStdout: input.outputs ? (chunk) => void (stdout = (stdout + chunk).slice(0, STDOUT_MAX + 1)) : undefined,
        });
        // Aborts (run aborted, step timeout) go back to the engine as they are, not as a failure.
        if (run.aborted) ctx.signal.throwIfAborted();
        const outputs = run.exitCode === 0 ? parseOutputFile(await readFile(outputFile, 'utf8')) : {};
        // Parsed inside the checkpoint: a re-run after a crash reads the result, not the command again.
        return { ...run, outputs, parsed: run.exitCode === 0 && input.outputs ? parsedStdout(stdout, input.outputs) : undefined };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    const took = formatDuration(result.durationMs);
    // The output itself is streamed (ctx.stream) and shown once, under "Output (last lines)":
    // repeating its tail as evidence showed the same lines under two headings.
    const evidence = (head: string) => [head];
    if (result.spawnError) throw new StepFailure(`could not start the command: ${result.spawnError}`, evidence(`spawn failed: ${result.spawnError}`));
    if (result.timedOut) {
      throw new StepFailure(`timed out after ${input.timeout}; the process group was killed`, evidence(`killed after ${input.timeout} (timeout)`));
    }
    if (result.exitCode !== 0) {
      const how = result.exitCode === null ? `killed by ${result.exitSignal}` : `exit code ${result.exitCode}`;
      throw new StepFailure(`command failed: ${how}`, evidence(`${how} after ${took}`));
    }
    if (result.parsed && 'error' in result.parsed) throw new StepFailure(result.parsed.error, evidence(result.parsed.evidence.join('; ')));
    return {
      outputs: { ...result.outputs, ...result.parsed?.outputs, exit_code: 0 },
      summary: `exit 0 in ${took}`,
      evidence: evidence(`exit code 0 after ${took}`),
    };
  },
});

function parsedStdout(stdout: string, spec: StdoutOutputs): { outputs: Record<string, unknown> } | { error: string; evidence: string[] } {
  if (stdout.length > STDOUT_MAX) return { error: `outputs: stdout is over ${STDOUT_MAX} characters`, evidence: [] };
  try {
    return { outputs: parseStdout(stdout, spec) };
  } catch (err) {
    if (err instanceof StepFailure) return { error: err.message, evidence: err.evidence };
    throw err;
  }
}
