// When a plan's T-0 is, as people type it: an ISO-8601 time with its offset, `in 3d`,
// `tomorrow 13:00 Europe/London`, `2027-05-05 13:00 Europe/London`. Time zones through Intl
// (no dependency); a time without a zone or offset is refused, so nobody guesses whose 1pm.
import { isDuration, parseDuration } from '../runbooks/duration.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/;
const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

export type When = { ok: true; at: number } | { ok: false; error: string };

/** The zone's offset from UTC at instant `t`, in ms. */
function zoneOffset(zone: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(t / 1000) * 1000;
}

/** The zone's calendar date at instant `t`. */
function zoneDate(zone: string, t: number): [number, number, number] {
  const local = new Date(t + zoneOffset(zone, t));
  return [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
}

/** Wall-clock time in a zone → instant (re-checked once across a DST change). */
function zoned(zone: string, y: number, mo: number, d: number, h: number, mi: number): number {
  const wall = Date.UTC(y, mo, d, h, mi);
  const first = wall - zoneOffset(zone, wall);
  return wall - zoneOffset(zone, first);
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function parseWhen(words: string[], now: number): When {
  const [first, ...rest] = words;
  const usage = 'give a time as `at 2027-05-05T13:00:00+01:00`, `in 3d`, or `tomorrow 13:00 Europe/London`';
  if (first === 'at' && rest.length === 1 && ISO.test(rest[0]!)) return { ok: true, at: Date.parse(rest[0]!) };
  if (first === 'in' && rest.length === 1 && isDuration(rest[0]!)) return { ok: true, at: now + parseDuration(rest[0]!) };
  const spec = first === 'at' ? rest : words;
  if (spec.length === 1 && ISO.test(spec[0]!)) return { ok: true, at: Date.parse(spec[0]!) };
  if (spec.length === 3 && CLOCK.test(spec[1]!)) {
    const [day, time, zone] = spec as [string, string, string];
    if (!validZone(zone)) return { ok: false, error: `unknown time zone; ${usage}` };
    const [, h, mi] = CLOCK.exec(time)!.map(Number) as [number, number, number];
    let date: [number, number, number] | undefined;
    if (day === 'today' || day === 'tomorrow') {
      const [y, mo, d] = zoneDate(zone, now);
      date = [y, mo, d + (day === 'tomorrow' ? 1 : 0)];
    } else if (DATE.test(day)) {
      const [, y, mo, d] = DATE.exec(day)!.map(Number) as [number, number, number, number];
      date = [y, mo - 1, d];
    }
    if (date) return { ok: true, at: zoned(zone, ...date, h, mi) };
  }
  return { ok: false, error: usage };
}
