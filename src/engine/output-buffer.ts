// Collects a step's live output: the full text goes to Redis, the tail to the run record (and so
// to the thread message), flushed at most every 2 s so Slack edits stay coalesced. Both are
// redacted here, before any write: this is the one choke point for output, and it sees the
// stream whole, so a secret split between two writes or between stdout and stderr is masked.
import { StreamRedactor, type SecretMatcher } from '../lib/redact.js';

const TAIL_LINES = 15;
const TAIL_CHARS = 1500;
const FLUSH_MS = 2000;
/** Raw output kept in memory for the tail (never written anywhere unredacted). */
const KEEP_CHARS = 32_000;

export function tailOf(text: string): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tail = lines.slice(-TAIL_LINES).join('\n');
  return tail.length > TAIL_CHARS ? tail.slice(-TAIL_CHARS) : tail;
}

export class OutputBuffer {
  private all = '';
  private pending = '';
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly stream: StreamRedactor;

  constructor(
    private readonly matcher: SecretMatcher,
    private readonly sink: (appended: string, tail: string) => Promise<void>,
  ) {
    this.stream = new StreamRedactor(matcher);
  }

  push = (chunk: string): void => {
    this.all += chunk;
    this.pending += chunk;
    // Keep memory bounded for chatty commands; the tail is all we display.
    if (this.all.length > 2 * KEEP_CHARS) this.all = this.all.slice(-KEEP_CHARS);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  };

  /** The last lines, redacted; while the stream is open, an end that may begin a secret is left out. */
  get tail(): string {
    const held = this.ended ? 0 : this.matcher.pendingPrefix(this.all);
    return tailOf(this.matcher.redact(this.all.slice(0, this.all.length - held)));
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const chunk = this.stream.push(this.pending) + (this.ended ? this.stream.end() : '');
    this.pending = '';
    this.flushing = this.flushing.then(() => (chunk ? this.sink(chunk, this.tail) : undefined));
    await this.flushing;
  }

  /** The step is over: writes everything, including an end that was kept back. */
  async end(): Promise<void> {
    this.ended = true;
    await this.flush();
  }
}
