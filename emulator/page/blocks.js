// Block Kit to DOM, for the blocks tzero sends: section, context, actions, header, divider, input, image.
import { escapeHtml, mrkdwnToHtml, textObjectToHtml } from './mrkdwn.js';

function el(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

function renderButton(button, blockId, opts) {
  const node = el('button', `bk-button ${button.style ?? ''}`.trim(), escapeHtml(button.text?.text ?? ''));
  node.type = 'button';
  node.dataset.actionId = button.action_id ?? '';
  node.dataset.blockId = blockId ?? '';
  if (button.value !== undefined) node.dataset.value = button.value;
  if (button.url) node.dataset.url = button.url;
  node.addEventListener('click', () => opts.onButton(button, blockId));
  return node;
}

function renderElement(element, blockId, opts) {
  if (element.type === 'button') return renderButton(element, blockId, opts);
  if (element.type === 'image') {
    const img = el('img', 'bk-image-element');
    img.src = element.image_url;
    img.alt = element.alt_text ?? '';
    return img;
  }
  return el('span', 'bk-unsupported', `[${escapeHtml(element.type)}]`);
}

function renderInput(block, opts) {
  const wrap = el('div', 'bk-input');
  wrap.dataset.blockId = block.block_id;
  const id = `input-${block.block_id}`;
  const label = el('label', 'bk-input-label', escapeHtml(block.label?.text ?? ''));
  label.htmlFor = id;
  if (block.optional) label.append(el('span', 'bk-optional', ' (optional)'));
  wrap.append(label);
  const element = block.element ?? {};
  if (element.type === 'plain_text_input') {
    const input = element.multiline ? el('textarea') : el('input');
    input.id = id;
    input.dataset.blockId = block.block_id;
    input.dataset.actionId = element.action_id;
    input.placeholder = element.placeholder?.text ?? '';
    const draft = opts.drafts?.[block.block_id];
    input.value = draft ?? element.initial_value ?? '';
    input.addEventListener('input', () => opts.onDraft?.(block.block_id, input.value));
    wrap.append(input);
  } else {
    wrap.append(el('span', 'bk-unsupported', `[${escapeHtml(element.type)}]`));
  }
  if (block.hint) wrap.append(el('div', 'bk-hint', escapeHtml(block.hint.text)));
  const error = opts.errors?.[block.block_id];
  if (error) wrap.append(el('div', 'input-error', escapeHtml(error)));
  return wrap;
}

function renderBlock(block, opts) {
  const users = opts.users;
  switch (block.type) {
    case 'header':
      return el('div', 'bk-header', escapeHtml(block.text?.text ?? ''));
    case 'divider':
      return el('hr', 'bk-divider');
    case 'section': {
      const node = el('div', 'bk-section');
      const body = el('div', 'bk-section-body');
      if (block.text) body.append(el('div', 'bk-text', textObjectToHtml(block.text, users)));
      if (block.fields) {
        const fields = el('div', 'bk-fields');
        for (const f of block.fields) fields.append(el('div', 'bk-field', textObjectToHtml(f, users)));
        body.append(fields);
      }
      node.append(body);
      if (block.accessory) node.append(renderElement(block.accessory, block.block_id, opts));
      return node;
    }
    case 'context': {
      const node = el('div', 'bk-context');
      for (const e of block.elements ?? []) {
        node.append(e.type === 'image' ? renderElement(e, block.block_id, opts) : el('span', 'bk-context-item', textObjectToHtml(e, users)));
      }
      return node;
    }
    case 'actions': {
      const node = el('div', 'bk-actions');
      node.dataset.blockId = block.block_id;
      for (const e of block.elements ?? []) node.append(renderElement(e, block.block_id, opts));
      return node;
    }
    case 'input':
      return renderInput(block, opts);
    case 'image': {
      const img = el('img', 'bk-image');
      img.src = block.image_url;
      img.alt = block.alt_text ?? '';
      return img;
    }
    case 'markdown':
      return el('div', 'bk-text', mrkdwnToHtml(block.text, users));
    default:
      return el('div', 'bk-unsupported', `[${escapeHtml(block.type)} block]`);
  }
}

/** opts: { users, onButton(button, blockId), drafts?, errors?, onDraft? } */
export function renderBlocks(blocks, opts) {
  const container = el('div', 'bk-blocks');
  for (const block of blocks ?? []) {
    const node = renderBlock(block, opts);
    if (block.block_id) node.dataset.blockId = block.block_id;
    container.append(node);
  }
  return container;
}
