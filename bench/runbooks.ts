// The runbooks the bench generates into a temporary RUNBOOKS_DIR.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHANNEL = 'C0CUTOVER';
const HEADER = (name: string) => `name: ${name}
channel: ${CHANNEL}
roles:
  lead: [U0LEAD]
  second: [U0SECOND]
steps:
`;

export function runbooksDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-bench-runbooks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.yml`), text);
  return dir;
}

/** `count` one-step runbooks with distinct names (hence distinct locks): each start is a real start. */
export function startRunbooks(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = startRunbookName(i);
    files[name] = `${HEADER(name)}  - id: go
    uses: approval
    with:
      prompt: "Go?"
`;
  }
  return files;
}

export const startRunbookName = (i: number) => `bench-start-${String(i).padStart(2, '0')}`;

/** `count` approval steps in a row: each Approve click starts the next approval. */
export function approvalsRunbook(name: string, count: number): string {
  let text = HEADER(name);
  for (let i = 0; i < count; i++) text += `  - id: a${i}\n    uses: approval\n    with:\n      prompt: "Step ${i}?"\n`;
  return text;
}

/** `count` fast http.check steps against a loopback target. */
export function checksRunbook(name: string, count: number, url: string): string {
  let text = HEADER(name);
  for (let i = 0; i < count; i++) text += `  - id: c${i}\n    uses: http.check\n    with:\n      url: ${url}\n`;
  return text;
}
