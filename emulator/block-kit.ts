// Block Kit validation, pure: input in, list of errors with json-pointers out.
// Limits follow shared/reference/slack-sentry.md §5; error wording follows the captured
// invalid_blocks responses ("must be less than 3001 characters", "no more than 50 items allowed").
import { checkElement, checkText, isRecord, len, type Collector } from './block-kit-parts.js';

export interface BlockKitError {
  message: string;
  pointer: string;
}

/** "must be less than 3001 characters [json-pointer:/blocks/0/text/text]" */
export function formatBlockKitError(e: BlockKitError): string {
  return `${e.message} [json-pointer:${e.pointer}]`;
}

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

const BLOCK_TYPES = new Set(['section', 'context', 'actions', 'header', 'divider', 'input', 'image', 'markdown', 'rich_text']);

export function validateMessageBlocks(blocks: unknown): BlockKitError[] {
  const errors: BlockKitError[] = [];
  checkBlocks(blocks, '/blocks', MAX_MESSAGE_BLOCKS, errors);
  return errors;
}

export function validateView(view: unknown): BlockKitError[] {
  const errors: BlockKitError[] = [];
  const at = '/view';
  if (!isRecord(view)) return [{ message: 'must be an object', pointer: at }];
  if (view.type !== 'modal' && view.type !== 'home') {
    errors.push({ message: 'must be one of: modal, home', pointer: `${at}/type` });
  }
  const c: Collector = (message, pointer) => errors.push({ message, pointer });
  if (view.type === 'modal') {
    if (view.title === undefined) c('missing required field: title', `${at}/title`);
    else checkText(view.title, `${at}/title`, c, { max: 24, plainOnly: true });
  }
  for (const key of ['submit', 'close'] as const) {
    if (view[key] !== undefined) checkText(view[key], `${at}/${key}`, c, { max: 24, plainOnly: true });
  }
  maxString(view.private_metadata, 3000, `${at}/private_metadata`, c);
  maxString(view.callback_id, 255, `${at}/callback_id`, c);
  maxString(view.external_id, 255, `${at}/external_id`, c);
  checkBlocks(view.blocks, `${at}/blocks`, MAX_VIEW_BLOCKS, errors);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
  if (view.type === 'modal' && hasInput && view.submit === undefined) {
    c('must provide submit when blocks contain input blocks', `${at}/submit`);
  }
  return errors;
}

function maxString(value: unknown, max: number, pointer: string, c: Collector): void {
  if (value === undefined) return;
  if (typeof value !== 'string') c('must be a string', pointer);
  else if (len(value) > max) c(`must be less than ${max + 1} characters`, pointer);
}

function checkBlocks(blocks: unknown, at: string, max: number, errors: BlockKitError[]): void {
  const c: Collector = (message, pointer) => errors.push({ message, pointer });
  if (!Array.isArray(blocks)) {
    c('must be an array', at);
    return;
  }
  if (blocks.length > max) c(`no more than ${max} items allowed`, at);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const p = `${at}/${i}`;
    if (!isRecord(block)) return c('must be an object', p);
    if (typeof block.block_id === 'string') {
      if (len(block.block_id) > 255) c('must be less than 256 characters', `${p}/block_id`);
      if (blockIds.has(block.block_id)) c(`duplicate block_id: ${block.block_id}`, `${p}/block_id`);
      blockIds.add(block.block_id);
    }
    if (typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) {
      c('failed to match all allowed schemas', p);
      c(`unsupported type: ${String(block.type)}`, `${p}/type`);
      return;
    }
    checkBlock(block, p, c);
  });
}

function checkBlock(block: Record<string, unknown>, p: string, c: Collector): void {
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) c('must provide either text or fields', p);
      if (block.text !== undefined) checkText(block.text, `${p}/text`, c, { max: 3000 });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) c('must be an array', `${p}/fields`);
        else {
          if (block.fields.length > 10) c('no more than 10 items allowed', `${p}/fields`);
          block.fields.forEach((f, i) => checkText(f, `${p}/fields/${i}`, c, { max: 2000 }));
        }
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${p}/accessory`, c, new Set());
      return;
    case 'header':
      checkText(block.text, `${p}/text`, c, { max: 150, plainOnly: true });
      return;
    case 'context':
      return checkList(block.elements, `${p}/elements`, 10, c, (el, ep) => {
        if (isRecord(el) && el.type === 'image') return checkElement(el, ep, c, new Set());
        checkText(el, ep, c, { max: 3000 });
      });
    case 'actions': {
      const actionIds = new Set<string>();
      return checkList(block.elements, `${p}/elements`, 25, c, (el, ep) => checkElement(el, ep, c, actionIds));
    }
    case 'input':
      checkText(block.label, `${p}/label`, c, { max: 2000, plainOnly: true });
      if (block.hint !== undefined) checkText(block.hint, `${p}/hint`, c, { max: 2000, plainOnly: true });
      if (block.element === undefined) c('missing required field: element', `${p}/element`);
      else checkElement(block.element, `${p}/element`, c, new Set());
      return;
    case 'image':
      maxString(block.image_url, 3000, `${p}/image_url`, c);
      maxString(block.alt_text, 2000, `${p}/alt_text`, c);
      if (block.title !== undefined) checkText(block.title, `${p}/title`, c, { max: 2000, plainOnly: true });
      return;
    case 'markdown':
      if (typeof block.text !== 'string') c('missing required field: text', `${p}/text`);
      else if (len(block.text) > 12000) c('must be less than 12001 characters', `${p}/text`);
      return;
    default:
      return; // divider and rich_text carry nothing the bot sends that we limit
  }
}

function checkList(
  list: unknown, p: string, max: number, c: Collector, each: (el: unknown, ep: string) => void,
): void {
  if (!Array.isArray(list)) return c('must be an array', p);
  if (list.length === 0) c('must contain at least 1 item', p);
  if (list.length > max) c(`no more than ${max} items allowed`, p);
  list.forEach((el, i) => each(el, `${p}/${i}`));
}
