// A readable, plain-text transcript of one run's thread as the emulator holds it: the card, then
// each reply in order. Block text is what a person reads in Slack, so it is preferred over `text`
// (which is only the notification fallback) when a message has blocks.
import type { EmulatorState } from '../emulator/client.js';
import type { Json, StoredMessage } from '../emulator/types.js';

type TextObject = { text?: unknown };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const textOf = (o: unknown): string => str((o as TextObject | undefined)?.text);

/** The lines one block shows; buttons as [Label] so the transcript says what could be clicked. */
function blockLines(block: Json): string[] {
  switch (block.type) {
    case 'header':
      return [`== ${textOf(block.text)} ==`];
    case 'section': {
      const lines = textOf(block.text) ? [textOf(block.text)] : [];
      // A field is "*Label*\nvalue" in Slack's two-column grid; one "Label value" per line reads better.
      const fields = Array.isArray(block.fields) ? block.fields.map(textOf).filter(Boolean) : [];
      return [...lines, ...fields.map((f) => f.replace(/\n/g, ' '))];
    }
    case 'context':
      return Array.isArray(block.elements) ? [block.elements.map(textOf).filter(Boolean).join('  ·  ')].filter(Boolean) : [];
    case 'actions':
      return Array.isArray(block.elements) ? [block.elements.map((e) => `[${textOf((e as Json).text)}]`).join(' ')] : [];
    case 'divider':
      return ['---'];
    default:
      return [];
  }
}

export function messageLines(m: Pick<StoredMessage, 'text' | 'blocks'>): string[] {
  const fromBlocks = (m.blocks ?? []).flatMap(blockLines).flatMap((l) => l.split('\n'));
  return fromBlocks.length ? fromBlocks : m.text.split('\n');
}

/** Card first, then every thread reply oldest first; each message indented under its number. */
export function transcript(state: EmulatorState, channel: string, cardTs: string): string {
  const ch = state.channels.find((c) => c.id === channel || c.name === channel.replace(/^#/, ''));
  const card = ch?.messages.find((m) => m.ts === cardTs);
  if (!ch || !card) return `(no message ${cardTs} in ${channel})`;
  const name = (id: string) => (id === state.bot.userId ? state.bot.name : state.users.find((u) => u.id === id)?.name ?? id);
  const render = (label: string, m: StoredMessage) =>
    [`${label} ${name(m.user)}${m.edited ? ' (edited)' : ''}`, ...messageLines(m).map((l) => `    ${l}`)].join('\n');
  const replies = [...card.replies].sort((a, b) => Number(a.ts) - Number(b.ts));
  return [
    render(`#${ch.name} card —`, card),
    ...replies.map((r, i) => render(`  ↳ reply ${i + 1} —`, r)),
  ].join('\n');
}
