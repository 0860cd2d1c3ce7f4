// Identifier formats Slack uses, so the bot sees values shaped like production ones.
import { randomBytes } from 'node:crypto';

let lastMicros = 0;

/** Message ts "<unix seconds>.<6 digits>", strictly increasing so it is unique per channel. */
export function nextTs(nowMs: number = Date.now()): string {
  lastMicros = Math.max(nowMs * 1000, lastMicros + 1);
  const seconds = Math.floor(lastMicros / 1_000_000);
  const micros = lastMicros % 1_000_000;
  return `${seconds}.${String(micros).padStart(6, '0')}`;
}

function digits(n: number): string {
  let out = '';
  while (out.length < n) out += String(randomBytes(4).readUInt32BE(0));
  return out.slice(0, n);
}

/** trigger_id like "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c". */
export function newTriggerId(): string {
  return `${digits(12)}.${digits(11)}.${randomBytes(16).toString('hex')}`;
}

/** View ids are "V" plus upper-case alphanumerics. */
export function newViewId(): string {
  return `V${randomBytes(6).toString('hex').toUpperCase().slice(0, 10)}`;
}

export function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString('base64url')}`;
}

/** Slack fills in block_id/action_id the app left out with short random strings. */
export function randomShortId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

export function newResponseId(): string {
  return randomBytes(12).toString('hex');
}
