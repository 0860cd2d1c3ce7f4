// Proves what earlier steps measured: every `that:` line must hold ("missing == 0", "new rows >=
// old rows * 0.999"). The values compared are the evidence; a failure names the comparison.
import { substituteExpressions } from '../lib/shell-text.js';
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { parseComparison } from '../runbooks/comparison.js';
import { checkLine, showValue, type ComparisonRecord } from '../runbooks/comparison-eval.js';
import { ExpressionError } from '../runbooks/expressions.js';
import { defineStep } from './define-step.js';

const Line = z.string().min(1).superRefine((text, ctx) => {
  try {
    parseComparison(text);
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});
const Input = z.strictObject({
  /** Each line must evaluate to true; `${{ }}` references are read when the step runs. */
  that: z.array(Line).min(1),
});
type Input = z.output<typeof Input>;

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const line = (r: ComparisonRecord) => `${mark(r.ok)} ${r.text}: ${showValue(r.left)} ${r.op} ${showValue(r.right)}`;

export const assert = defineStep<Input>({
  id: 'assert',
  description:
    'Checks that every `that:` line holds: numbers, strings, `${{ }}` references, + - * /, == != < <= > >=, && || ! and parentheses. Each comparison and its two values are evidence.',
  input: Input,
  sideEffects: false,
  // Reading outputs is harmless; a rehearsal checks what it can.
  dryRun: 'run',
  rawFields: ['that'],
  examples: [
    {
      description: 'Reconciliation found nothing missing, and the new table has at least 99.9% of the old rows',
      with: {
        that: [
          '${{ steps.reconcile.outputs.missing }} == 0',
          '${{ steps.counts.outputs.new }} >= ${{ steps.counts.outputs.old }} * 0.999',
        ],
      },
    },
    {
      description: 'The health endpoint reported the expected release',
      with: { that: ["${{ steps.health.outputs.version }} == 'v2.0.0' && ${{ steps.health.outputs.status }} == 200"] },
    },
  ],
  // A rehearsal preview shows the values (`dry_run: describe`), never `${{ }}`.
  describe: (input, resolve) => {
    const that = resolve ? input.that.map((t) => substituteExpressions(t, resolve)) : input.that;
    return `check ${that.length === 1 ? that[0] : `${that.length} assertions: ${that.join('; ')}`}`;
  },
  async execute(ctx) {
    const evidence: string[] = [];
    const failed: string[] = [];
    let unchecked = 0;
    const comparisons: (ComparisonRecord & { that: string })[] = [];
    for (const [i, that] of ctx.input.that.entries()) {
      const records: ComparisonRecord[] = [];
      let ok: boolean;
      try {
        ok = checkLine(parseComparison(that), (body) => (ctx.value ? ctx.value(body) : ctx.evaluate(body)), records);
      } catch (err) {
        const why = (err as Error).message;
        // A rehearsal only describes some steps, so their outputs may not exist: say so, honestly.
        if (ctx.run.dryRun) {
          evidence.push(`not checked in the dry run: ${that} (${why})`);
          unchecked++;
          continue;
        }
        evidence.push(`✗ ${that}: ${why}`);
        failed.push(`that[${i}] ${that}: ${why}`);
        continue;
      }
      comparisons.push(...records.map((r) => ({ ...r, that })));
      evidence.push(...records.map(line));
      if (!ok) {
        const bad = records.filter((r) => !r.ok).map((r) => `${r.text} (${showValue(r.left)} vs ${showValue(r.right)})`);
        failed.push(`that[${i}] ${bad.length ? bad.join(', ') : that} is false`);
      }
    }
    const facts = comparisons.map((c) => ({ that: c.that, comparison: c.text, left: c.left, right: c.right, ok: c.ok }));
    if (failed.length) throw new StepFailure(`assertion failed: ${failed.join('; ')}`, evidence, { comparisons: facts });
    const checked = comparisons.length;
    const held = ctx.input.that.length - unchecked;
    return {
      outputs: { comparisons: facts },
      summary: `${held} assertion${held === 1 ? '' : 's'} held (${checked} comparison${checked === 1 ? '' : 's'})${unchecked ? `, ${unchecked} not checked in the dry run` : ''}`,
      evidence,
    };
  },
});
