// assert: the comparison language, evidence of each comparison's values, failures naming the
// comparison that failed, and lint-time validation of the lines.
import { describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { parseComparison } from '../../src/runbooks/comparison.js';
import { checkLine } from '../../src/runbooks/comparison-eval.js';
import { ExpressionError } from '../../src/runbooks/expressions.js';
import { validateRunbook } from '../../src/runbooks/validate.js';
import { assert } from '../../src/steps/assert.js';
import { rejection, runStep } from '../support/step-context.js';

const outputs = {
  'steps.reconcile.outputs.missing': '0',
  'steps.reconcile.outputs.extra': '3',
  'steps.counts.outputs.old': '1000',
  'steps.counts.outputs.new': '999',
  'steps.health.outputs.version': 'v2.0.0',
};
const holds = (text: string, values: Record<string, unknown> = {}) => checkLine(parseComparison(text), (b) => values[b], []);

describe('comparison language', () => {
  it('evaluates arithmetic with precedence, parentheses, unary minus and logic', () => {
    expect(holds('1 + 2 * 3 == 7')).toBe(true);
    expect(holds('(1 + 2) * 3 == 9')).toBe(true);
    expect(holds('10 / 4 == 2.5 && -3 < 0')).toBe(true);
    expect(holds('!(1 > 2) || 1 / 0 == 1')).toBe(true); // || short-circuits: the division is never made
    expect(holds("'abc' < 'abd' && 'x' != 'y'")).toBe(true);
    expect(holds('${{ steps.a.outputs.n }} >= 10', { 'steps.a.outputs.n': '12' })).toBe(true);
  });

  it('treats numeric text as numbers, and refuses to order or add non-numbers', () => {
    expect(holds('${{ steps.a.outputs.n }} == 5.0', { 'steps.a.outputs.n': '5' })).toBe(true);
    expect(() => holds("'abc' * 2")).toThrow(/needs numbers/);
    expect(() => holds("'abc' < 2")).toThrow(/cannot order/);
    expect(() => holds('1 / 0 == 1')).toThrow(/division by zero/);
    expect(() => holds('1 + 1')).toThrow(/not true or false/);
  });

  it('rejects what is not the language, naming the column', () => {
    expect(() => parseComparison('1 == ')).toThrow(/expected a value at the end/);
    expect(() => parseComparison('1 < 2 < 3')).toThrow(/chained comparison/);
    expect(() => parseComparison('steps.a.outputs.b == 1')).toThrow(/write references as \$\{\{ steps.a.outputs.b \}\}/);
    expect(() => parseComparison('1 == 1; rm -rf /')).toThrow(ExpressionError);
    expect(() => parseComparison('${{ process.env }} == 1')).toThrow(/unknown name "process"/);
    expect(() => parseComparison('(1 == 1')).toThrow(/expected "\)"/);
  });
});

describe('assert step', () => {
  it('passes and shows each comparison with its left and right values as evidence', async () => {
    const result = await runStep(assert, {
      that: ['${{ steps.reconcile.outputs.missing }} == 0', '${{ steps.counts.outputs.new }} >= ${{ steps.counts.outputs.old }} * 0.999'],
    }, { expressions: outputs });
    expect(result.evidence).toEqual([
      '✓ steps.reconcile.outputs.missing == 0: 0 == 0',
      '✓ steps.counts.outputs.new >= steps.counts.outputs.old * 0.999: 999 >= 999',
    ]);
    expect(result.summary).toBe('2 assertions held (2 comparisons)');
    expect(result.outputs?.comparisons).toEqual([
      { that: '${{ steps.reconcile.outputs.missing }} == 0', comparison: 'steps.reconcile.outputs.missing == 0', left: '0', right: 0, ok: true },
      expect.objectContaining({ comparison: 'steps.counts.outputs.new >= steps.counts.outputs.old * 0.999', left: '999', right: 999, ok: true }),
    ]);
  });

  it('fails naming the comparison that failed and its values, and still shows the ones that held', async () => {
    const err = await rejection(runStep(assert, {
      that: [
        '${{ steps.reconcile.outputs.missing }} == 0',
        '${{ steps.reconcile.outputs.extra }} == 0 && ${{ steps.health.outputs.version }} == \'v2.0.0\'',
      ],
    }, { expressions: outputs }), StepFailure);
    expect(err.message).toBe('assertion failed: that[1] steps.reconcile.outputs.extra == 0 (3 vs 0) is false');
    expect(err.evidence).toEqual(['✓ steps.reconcile.outputs.missing == 0: 0 == 0', '✗ steps.reconcile.outputs.extra == 0: 3 == 0']);
  });

  it('fails on a missing output in a live run, and says "not checked" in a dry run', async () => {
    const missing = (e: string) => { if (e in outputs) return outputs[e as keyof typeof outputs]; throw new ExpressionError(`"${e}": step has no such output`); };
    const live = await rejection(runStep(assert, { that: ['${{ steps.sync.outputs.rows }} > 0'] }, { expressions: missing }), StepFailure);
    expect(live.message).toMatch(/that\[0\] \$\{\{ steps.sync.outputs.rows \}\} > 0: .*no such output/);
    const dry = await runStep(assert, { that: ['${{ steps.sync.outputs.rows }} > 0', '${{ steps.reconcile.outputs.missing }} == 0'] }, { expressions: missing, dryRun: true });
    expect(dry.summary).toBe('1 assertion held (1 comparison), 1 not checked in the dry run');
    expect(dry.evidence?.[0]).toMatch(/^not checked in the dry run/);
  });

  it('is validated with the runbook: bad syntax and unknown steps are lint errors', () => {
    const book = (that: string[]) => ({
      name: 'x', channel: 'C0CUTOVER',
      steps: [{ id: 'counts', uses: 'shell', with: { run: 'echo {}', outputs: 'json' } }, { id: 'check', uses: 'assert', with: { that } }],
    });
    expect(() => validateRunbook(book(['${{ steps.counts.outputs.new }} >= 1']))).not.toThrow();
    const problems = (that: string[]) => { try { validateRunbook(book(that)); return []; } catch (e) { return (e as { problems: string[] }).problems; } };
    expect(problems(['${{ steps.counts.outputs.new }} >= '])).toEqual([expect.stringMatching(/steps\[1\]\.with\.that\[0\]: expected a value at the end/)]);
    expect(problems(['${{ steps.later.outputs.n }} == 1'])).toEqual([expect.stringMatching(/"steps.later" is not an earlier step/)]);
  });
});
