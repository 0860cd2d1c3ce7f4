// Shell `outputs:`: turns a command's stdout into step outputs later steps and `assert` read.
//   json            → the top-level keys of one JSON object ({"missing": 0} → outputs.missing)
//   lines           → outputs.lines, the non-empty lines
//   { name: regex } → outputs.name, the regex's first group (or whole match) on stdout
import { z } from 'zod';
import { StepFailure } from '../errors.js';

/** Stdout kept for parsing; more is a failure, not a silent cut. */
export const STDOUT_MAX = 1_000_000;

export const StdoutOutputs = z.union([
  z.literal('json'),
  z.literal('lines'),
  z.record(
    z.string().regex(/^[A-Za-z_][\w-]*$/, 'an output name'),
    z.string().min(1).superRefine((re, ctx) => {
      try {
        new RegExp(re, 'm');
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(err as Error).message}` });
      }
    }),
  ),
]);
export type StdoutOutputs = z.infer<typeof StdoutOutputs>;

export function parseStdout(stdout: string, spec: StdoutOutputs): Record<string, unknown> {
  if (spec === 'lines') return { lines: stdout.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim()) };
  if (spec === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(stdout);
    } catch (err) {
      throw new StepFailure(`outputs: json: stdout is not JSON (${(err as Error).message})`, [`stdout starts: ${stdout.slice(0, 200)}`]);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new StepFailure('outputs: json: stdout must be one JSON object, e.g. {"missing": 0}', [`stdout starts: ${stdout.slice(0, 200)}`]);
    }
    return value as Record<string, unknown>;
  }
  const outputs: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, re] of Object.entries(spec)) {
    const m = new RegExp(re, 'm').exec(stdout);
    if (!m) missing.push(`${name}: /${re}/`);
    else outputs[name] = m[1] ?? m[0];
  }
  if (missing.length) throw new StepFailure(`outputs: nothing in stdout matched ${missing.join(', ')}`, [`stdout starts: ${stdout.slice(0, 200)}`]);
  return outputs;
}
