// What the outbox renders, from the run record at delivery time (latest state wins).
import type { KnownBlock } from '@slack/types';
import type { Run } from '../engine/types.js';
import type { AlertGroup } from '../alerts/groups.js';

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface Renderer {
  card(run: Run, now: number): RenderedMessage;
  step(run: Run, stepId: string, now: number): RenderedMessage;
  rollback(run: Run, now: number): RenderedMessage;
  notify(text: string): RenderedMessage;
  /** An alert group's message in the alerts channel. */
  alert(group: AlertGroup, now: number): RenderedMessage;
  /** Its copy in a live run's thread, tagged with the step that was running when it fired. */
  runAlert(group: AlertGroup, stepTag: string | undefined, now: number): RenderedMessage;
  /** "Roll back now?" in the watch window. */
  proposal(run: Run, proposalId: string, now: number): RenderedMessage;
}
