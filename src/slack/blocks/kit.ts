// Small Block Kit constructors that enforce Slack's limits by construction
// (reference/slack-sentry.md §5): every string is cut to its field's maximum here.
import type { types } from '@slack/bolt';
import { escapeMrkdwn, md, Mrkdwn } from '../../lib/mrkdwn.js';

export { channel, esc, link, md, mdJoin, Mrkdwn, trustStored, user } from '../../lib/mrkdwn.js';

export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type SectionBlock = types.SectionBlock;

/** What the outbox posts or edits: `text` is the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  actions: 25,
  context: 10,
  fallbackText: 3000,
} as const;

/** Cuts `text` to `max` characters, ending with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--; // never split an emoji in two
  return `${text.slice(0, end)}…`;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** Keeps the end of `text` (the newest output lines), starting with an ellipsis when cut. */
export function cutStart(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - max + 1;
  if (isHighSurrogate(text.charCodeAt(start - 1))) start++;
  return `…${text.slice(start)}`;
}

/** Cuts trusted mrkdwn to `max` characters (a cut never creates a mention or a link). */
export function cutMd(text: Mrkdwn, max: number): Mrkdwn {
  return text.length <= max ? text : Mrkdwn.of(cut(text.text, max));
}

export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: cut(text, max) || ' ', emoji: true };
}

/** Section text is trusted mrkdwn only: outside text gets there through `md` or `esc`. */
export function section(mrkdwn: Mrkdwn): SectionBlock {
  return { type: 'section', text: mrkdwnText(mrkdwn, LIMITS.sectionText) };
}

export function mrkdwnText(mrkdwn: Mrkdwn, max: number = LIMITS.sectionText): types.MrkdwnElement {
  return { type: 'mrkdwn', text: cut(mrkdwn.text, max) || ' ' };
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.header) };
}

export function context(...lines: Mrkdwn[]): types.ContextBlock {
  return { type: 'context', elements: lines.slice(0, LIMITS.context).map((t) => mrkdwnText(t)) };
}

export function actions(blockId: string, elements: Button[]): types.ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actions) };
}

export interface ConfirmSpec {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
}

export function confirm(spec: ConfirmSpec): types.ConfirmationDialog {
  return {
    title: plain(spec.title, LIMITS.confirmTitle),
    text: plain(spec.text, LIMITS.confirmText),
    confirm: plain(spec.confirm, LIMITS.confirmButton),
    deny: plain(spec.deny ?? 'Cancel', LIMITS.confirmButton),
  };
}

export interface ButtonSpec {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmSpec;
}

export function button(spec: ButtonSpec): Button {
  if (spec.value.length > LIMITS.buttonValue) throw new Error(`button value over ${LIMITS.buttonValue} chars`);
  return {
    type: 'button',
    action_id: spec.actionId,
    text: plain(spec.text, LIMITS.buttonText),
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm ? { confirm: confirm(spec.confirm) } : {}),
  };
}

/** A fenced code block whose body cannot close the fence early; keeps the newest `max` chars. */
export function codeBlock(text: string, max: number): Mrkdwn {
  return Mrkdwn.of('```' + cutStart(escapeMrkdwn(text.replace(/```/g, "'''")), max) + '```');
}

/** Caps a block list at Slack's 50, replacing the overflow with one context line. */
export function capBlocks(blocks: KnownBlock[], max: number = LIMITS.blocks): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), context(md`_${blocks.length - max + 1} more blocks not shown_`)];
}
