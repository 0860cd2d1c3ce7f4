// Turns Web API / response_url arguments into validated message content, or into Slack's error body.
import { formatBlockKitError, validateMessageBlocks } from './block-kit.js';
import { isRecord } from './block-kit-parts.js';
import { decodeJsonField, str } from './http-util.js';
import { randomShortId } from './ids.js';
import type { EmulatorStore } from './store.js';
import type { Json } from './types.js';

export const MAX_TEXT = 40_000;

export type ContentResult =
  | { ok: true; text: string; blocks: Json[] | undefined }
  | { ok: false; body: Json };

interface ContentRules {
  /** Slack truncates long postMessage text but chat.update/postEphemeral answer msg_too_long. */
  longText: 'truncate' | 'error';
}

export function messageContent(
  args: Record<string, unknown>, source: string, store: EmulatorStore, rules: ContentRules,
): ContentResult {
  const decoded = decodeJsonField<unknown>(args.blocks);
  if (!decoded.ok || (decoded.value !== undefined && !Array.isArray(decoded.value))) {
    store.recordValidationFailure(source, ['invalid_blocks_format']);
    return { ok: false, body: { ok: false, error: 'invalid_blocks_format' } };
  }
  const blocks = decoded.value as Json[] | undefined;
  if (blocks !== undefined) {
    const errors = validateMessageBlocks(blocks).map(formatBlockKitError);
    if (errors.length > 0) {
      store.recordValidationFailure(source, errors);
      return { ok: false, body: invalidBlocks(errors) };
    }
  }
  let text = str(args.text) ?? '';
  const hasAttachments = args.attachments !== undefined && args.attachments !== '' && args.attachments !== '[]';
  if (text === '' && (!blocks || blocks.length === 0) && !hasAttachments) {
    return { ok: false, body: { ok: false, error: 'no_text' } };
  }
  if ([...text].length > MAX_TEXT) {
    if (rules.longText === 'error') return { ok: false, body: { ok: false, error: 'msg_too_long' } };
    text = [...text].slice(0, MAX_TEXT).join('');
  }
  return { ok: true, text, blocks: blocks ? withGeneratedIds(blocks) : undefined };
}

/** The exact invalid_blocks shape captured from Slack (reference §5). */
export function invalidBlocks(errors: string[]): Json {
  return {
    ok: false,
    error: 'invalid_blocks',
    errors,
    response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
  };
}

/** Slack assigns a random block_id / action_id where the app gave none; the bot sees them in payloads. */
export function withGeneratedIds(blocks: Json[]): Json[] {
  return blocks.map((block) => {
    const copy: Json = structuredClone(block);
    if (copy.block_id === undefined) copy.block_id = randomShortId();
    const elements: unknown[] = [];
    if (Array.isArray(copy.elements) && copy.type === 'actions') elements.push(...copy.elements);
    if (isRecord(copy.accessory)) elements.push(copy.accessory);
    if (isRecord(copy.element)) elements.push(copy.element);
    for (const el of elements) {
      if (isRecord(el) && el.type !== 'image' && el.action_id === undefined) el.action_id = randomShortId();
    }
    return copy;
  });
}
