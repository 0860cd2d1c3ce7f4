// A small Block Kit limit checker for builder tests (reference/slack-sentry.md §5).
// Returns one line per violation, with a JSON pointer; [] means valid.
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, max: number, at: string, out: string[], plainOnly = false): void {
  if (!isObj(v) || typeof v.text !== 'string') return void out.push(`${at}: not a text object`);
  if (plainOnly && v.type !== 'plain_text') out.push(`${at}: must be plain_text`);
  if (v.text.length === 0) out.push(`${at}: empty text`);
  if (v.text.length > max) out.push(`${at}: ${v.text.length} > ${max}`);
}

function element(el: Json, at: string, out: string[]): void {
  if (el.type === 'button') {
    text(el.text, 75, `${at}/text`, out, true);
    if (typeof el.value === 'string' && el.value.length > 2000) out.push(`${at}/value: > 2000`);
    if (typeof el.action_id !== 'string' || el.action_id.length > 255) out.push(`${at}/action_id`);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') out.push(`${at}/style`);
    if (el.confirm !== undefined) {
      const c = el.confirm as Json;
      text(c.title, 100, `${at}/confirm/title`, out, true);
      text(c.text, 300, `${at}/confirm/text`, out);
      text(c.confirm, 30, `${at}/confirm/confirm`, out, true);
      text(c.deny, 30, `${at}/confirm/deny`, out, true);
    }
  }
}

export function checkBlocks(blocks: unknown[], max = 50, at = '/blocks'): string[] {
  const out: string[] = [];
  if (blocks.length > max) out.push(`${at}: ${blocks.length} blocks > ${max}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const p = `${at}/${i}`;
    if (!isObj(b)) return void out.push(`${p}: not an object`);
    if (typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) out.push(`${p}/block_id: duplicate`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'section') {
      if (b.text !== undefined) text(b.text, 3000, `${p}/text`, out);
      const fields = (b.fields ?? []) as unknown[];
      if (fields.length > 10) out.push(`${p}/fields: > 10`);
      fields.forEach((f, j) => text(f, 2000, `${p}/fields/${j}`, out));
      if (b.text === undefined && !fields.length) out.push(`${p}: section without text`);
    } else if (b.type === 'header') text(b.text, 150, `${p}/text`, out, true);
    else if (b.type === 'context') {
      const els = b.elements as Json[];
      if (!els.length || els.length > 10) out.push(`${p}/elements: ${els.length}`);
      els.forEach((e, j) => text(e, 3000, `${p}/elements/${j}`, out));
    } else if (b.type === 'actions') {
      const els = b.elements as Json[];
      if (!els.length || els.length > 25) out.push(`${p}/elements: ${els.length}`);
      const ids = new Set(els.map((e) => e.action_id));
      if (ids.size !== els.length) out.push(`${p}/elements: duplicate action_id`);
      els.forEach((e, j) => element(e, `${p}/elements/${j}`, out));
    } else if (b.type === 'input') {
      text(b.label, 2000, `${p}/label`, out, true);
    } else if (b.type !== 'divider') out.push(`${p}: unexpected block type ${String(b.type)}`);
  });
  return out;
}

export function checkModal(view: Json): string[] {
  const out: string[] = [];
  text(view.title, 24, '/view/title', out, true);
  if (view.submit) text(view.submit, 24, '/view/submit', out, true);
  if (view.close) text(view.close, 24, '/view/close', out, true);
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) out.push('/view/private_metadata > 3000');
  return [...out, ...checkBlocks(view.blocks as unknown[], 100, '/view/blocks')];
}

/** Every button in a message, flattened. */
export function buttons(blocks: unknown[]): Json[] {
  return blocks.filter((b): b is Json => isObj(b) && b.type === 'actions').flatMap((b) => b.elements as Json[]);
}

/** All text of a message (every `text` string, depth first), for "contains" assertions. */
export function allText(node: unknown): string {
  if (Array.isArray(node)) return node.map(allText).join('\n');
  if (!isObj(node)) return '';
  return Object.entries(node)
    .map(([k, v]) => (k === 'text' && typeof v === 'string' ? v : allText(v)))
    .filter(Boolean)
    .join('\n');
}
