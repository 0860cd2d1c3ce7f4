// What the outbox renders, from the run record at delivery time (latest state wins).
import type { KnownBlock } from '@slack/types';
import type { Run } from '../engine/types.js';

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface Renderer {
  card(run: Run, now: number): RenderedMessage;
  step(run: Run, stepId: string, now: number): RenderedMessage;
  rollback(run: Run, now: number): RenderedMessage;
  notify(text: string): RenderedMessage;
}
