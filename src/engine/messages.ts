// The engine's view of Slack: it declares which messages a run has and that their content
// changed. Rendering and delivery (rate limits, coalescing, retries) live in src/slack/outbox.ts.
import type { Mrkdwn } from '../lib/mrkdwn.js';

export interface RunMessages {
  /** The run card (the thread parent). Idempotent. */
  card(runId: string, channel: string): Promise<void>;
  /** The step's thread reply. Idempotent. */
  step(runId: string, channel: string, stepId: string): Promise<void>;
  /** The rollback summary in the thread. Idempotent. */
  rollback(runId: string, channel: string): Promise<void>;
  /** A `notify` text (trusted mrkdwn: outside values escaped); `key` makes a re-run after a crash post it once. */
  notify(runId: string, key: string, text: Mrkdwn, target: { channel: string; inThread: boolean }): Promise<void>;
  /** A "Roll back now?" proposal in the thread (rollback window). Idempotent. */
  proposal(runId: string, channel: string, proposalId: string): Promise<void>;
  /** The run changed: re-render its messages (coalesced). */
  changed(runId: string): Promise<void>;
}
