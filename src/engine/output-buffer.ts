// Collects a step's live output: the full text goes to Redis, the redacted tail to the run
// record (and so to the thread message), flushed at most every 2 s so Slack edits stay coalesced.
import type { Redact } from '../lib/redact.js';

const TAIL_LINES = 15;
const TAIL_CHARS = 1500;
const FLUSH_MS = 2000;

export function tailOf(text: string): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tail = lines.slice(-TAIL_LINES).join('\n');
  return tail.length > TAIL_CHARS ? tail.slice(-TAIL_CHARS) : tail;
}

export class OutputBuffer {
  private all = '';
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redact: Redact,
    private readonly sink: (appended: string, tail: string) => Promise<void>,
  ) {}

  push = (chunk: string): void => {
    this.all += chunk;
    this.pending += chunk;
    // Keep memory bounded for chatty commands; the tail is all we display.
    if (this.all.length > 64_000) this.all = this.all.slice(-32_000);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  };

  get tail(): string {
    return this.redact(tailOf(this.all));
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const chunk = this.pending;
    this.pending = '';
    this.flushing = this.flushing.then(() => (chunk ? this.sink(this.redact(chunk), this.tail) : undefined));
    await this.flushing;
  }
}
