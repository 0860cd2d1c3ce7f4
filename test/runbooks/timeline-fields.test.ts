// The timeline fields of a runbook (issue #7 §1): at, owner, remind, phase, after_window, and
// roles with duties beside the plain list form.
import { describe, expect, it } from 'vitest';
import { InvalidRunbookError } from '../../src/errors.js';
import { parseDuration, parseOffset } from '../../src/runbooks/duration.js';
import { validateRunbook } from '../../src/runbooks/validate.js';

const base = {
  name: 'go-live',
  channel: 'C0CUTOVER',
  roles: { lead: { users: ['U0LEAD'], duties: 'runs the window, decides go/no-go' }, dba: ['U0DBA'] },
  steps: [
    { id: 'lower-ttl', uses: 'shell', with: { run: 'true' }, at: 'T-1d', owner: 'dba', remind: ['1d', '1h'], phase: 'prepare' },
    { id: 'flip', uses: 'shell', with: { run: 'true' }, at: 'T-0', owner: 'U0LEAD', phase: 'window' },
  ],
  after_window: [{ id: 'restore-ttl', uses: 'shell', with: { run: 'true' }, at: 'T+48h', owner: 'dba', phase: 'after' }],
};

function problems(input: unknown): string[] {
  try {
    validateRunbook(input);
    return [];
  } catch (err) {
    if (err instanceof InvalidRunbookError) return err.problems;
    throw err;
  }
}

describe('timeline fields', () => {
  it('accepts at, owner, remind, phase and after_window; roles keep their users, duties ride beside', () => {
    const rb = validateRunbook(base);
    expect(rb.steps[0]!.at).toBe('T-1d');
    expect(rb.after_window![0]!.id).toBe('restore-ttl');
    expect(rb.roles).toEqual({ lead: ['U0LEAD'], dba: ['U0DBA'] });
    expect(rb.duties).toEqual({ lead: 'runs the window, decides go/no-go' });
  });

  it('offsets and durations gain days and weeks', () => {
    expect(parseOffset('T-7d')).toBe(-7 * 86_400_000);
    expect(parseOffset('T-0')).toBe(0);
    expect(parseOffset('T+48h')).toBe(48 * 3_600_000);
    expect(parseOffset('T+180d')).toBe(180 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(() => parseOffset('7d')).toThrow(/T-7d/);
  });

  it('names each bad field: an offset without T, an unknown owner, a reminder without at, a duplicate id in after_window', () => {
    const bad = {
      ...base,
      steps: [{ id: 'a', uses: 'shell', with: { run: 'true' }, at: '-7d', owner: 'ghost' }, { id: 'b', uses: 'shell', with: { run: 'true' }, remind: ['1h'] }],
      after_window: [{ id: 'a', uses: 'shell', with: { run: 'true' } }],
    };
    const p = problems(bad).join('\n');
    expect(p).toMatch(/steps\[0\]\.at: not a time offset/);
    expect(p).toMatch(/steps\[0\]\.owner: "ghost" is neither a role/);
    expect(p).toMatch(/steps\[1\]\.remind: a reminder counts back from `at`/);
    expect(p).toMatch(/after_window\[0\]\.id: duplicate step id "a" \(first used by steps\[0\]\)/);
  });

  it('after_window steps are checked like any step: an unknown step type is named', () => {
    expect(problems({ ...base, after_window: [{ id: 'x', uses: 'teleport' }] }).join('\n')).toMatch(/after_window\[0\]\.uses: unknown step type "teleport"/);
  });
});
