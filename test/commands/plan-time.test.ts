import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../src/commands/plan-time.js';

const NOW = Date.parse('2027-03-27T22:30:00Z'); // the evening before the UK goes to summer time

describe('parseWhen', () => {
  it('reads an ISO time with its offset, and `in` a duration', () => {
    expect(parseWhen(['at', '2027-05-05T13:00:00+01:00'], NOW)).toEqual({ ok: true, at: Date.parse('2027-05-05T12:00:00Z') });
    expect(parseWhen(['in', '3d'], NOW)).toEqual({ ok: true, at: NOW + 3 * 86_400_000 });
  });

  it('reads `tomorrow 13:00 Europe/London` in that zone, across a DST change', () => {
    // Tomorrow in London is 28 March, after the clocks go forward: 13:00 BST = 12:00 UTC.
    expect(parseWhen(['tomorrow', '13:00', 'Europe/London'], NOW)).toEqual({ ok: true, at: Date.parse('2027-03-28T12:00:00Z') });
    expect(parseWhen(['2027-01-10', '09:30', 'America/New_York'], NOW)).toEqual({ ok: true, at: Date.parse('2027-01-10T14:30:00Z') });
  });

  it('refuses a time without a zone, an unknown zone, and words it does not know', () => {
    expect(parseWhen(['at', '2027-05-05T13:00:00'], NOW).ok).toBe(false);
    expect(parseWhen(['tomorrow', '13:00', 'Mars/Olympus'], NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/unknown time zone/) });
    expect(parseWhen(['soon'], NOW).ok).toBe(false);
  });
});
