// The outbox's pacing. Its own file so outbox.ts and outbox-sync.ts both read it without
// importing each other (no import cycles).
export interface OutboxOptions {
  /** Minimum gap between new messages in one channel (Slack: ~1/s). */
  postIntervalMs: number;
  /** chat.update calls allowed per rolling minute, workspace-wide (Slack Tier 3: ~50). */
  updatesPerMinute: number;
  /** Minimum gap between two edits of the same message. */
  editIntervalMs: number;
  tickMs: number;
}

export const defaultOutboxOptions: OutboxOptions = { postIntervalMs: 1000, updatesPerMinute: 40, editIntervalMs: 2500, tickMs: 150 };
