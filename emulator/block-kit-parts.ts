// Text objects and interactive elements, shared by every block type in block-kit.ts.
export type Collector = (message: string, pointer: string) => void;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Slack counts characters, not UTF-16 code units. */
export function len(s: string): number {
  return [...s].length;
}

interface TextRule {
  max: number;
  plainOnly?: boolean;
}

/** A text object: {type: plain_text|mrkdwn, text}. Invalid ones get Slack's two-line report. */
export function checkText(value: unknown, p: string, c: Collector, rule: TextRule): void {
  if (value === undefined) return c('missing required field: text', p);
  if (!isRecord(value)) return c('must be an object', p);
  const allowed = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  const problems: Array<[string, string]> = [];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    problems.push([`must be ${rule.plainOnly ? 'plain_text' : 'one of: plain_text, mrkdwn'}`, `${p}/type`]);
  }
  if (typeof value.text !== 'string') problems.push(['must be a string', `${p}/text`]);
  else if (len(value.text) < 1) problems.push(['must be more than 0 characters', `${p}/text`]);
  else if (len(value.text) > rule.max) problems.push([`must be less than ${rule.max + 1} characters`, `${p}/text`]);
  if (problems.length === 0) return;
  c('failed to match all allowed schemas', p);
  for (const [message, pointer] of problems) c(message, pointer);
}

function checkActionId(el: Record<string, unknown>, p: string, c: Collector, seen: Set<string>): void {
  if (el.action_id === undefined) return;
  if (typeof el.action_id !== 'string') return c('must be a string', `${p}/action_id`);
  if (len(el.action_id) > 255) c('must be less than 256 characters', `${p}/action_id`);
  if (seen.has(el.action_id)) c(`duplicate action_id: ${el.action_id}`, `${p}/action_id`);
  seen.add(el.action_id);
}

function maxLen(value: unknown, max: number, p: string, c: Collector): void {
  if (value === undefined) return;
  if (typeof value !== 'string') c('must be a string', p);
  else if (len(value) > max) c(`must be less than ${max + 1} characters`, p);
}

export function checkConfirm(value: unknown, p: string, c: Collector): void {
  if (!isRecord(value)) return c('must be an object', p);
  checkText(value.title, `${p}/title`, c, { max: 100, plainOnly: true });
  checkText(value.text, `${p}/text`, c, { max: 300 });
  checkText(value.confirm, `${p}/confirm`, c, { max: 30, plainOnly: true });
  checkText(value.deny, `${p}/deny`, c, { max: 30, plainOnly: true });
  if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
    c('must be one of: primary, danger', `${p}/style`);
  }
}

const OTHER_ELEMENTS = new Set([
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_users_select', 'overflow', 'datepicker', 'timepicker', 'checkboxes',
  'radio_buttons', 'number_input', 'email_text_input', 'url_text_input',
]);

/** Interactive elements; button and plain_text_input are checked in depth, the rest by type only. */
export function checkElement(el: unknown, p: string, c: Collector, actionIds: Set<string>): void {
  if (!isRecord(el)) return c('must be an object', p);
  checkActionId(el, p, c, actionIds);
  switch (el.type) {
    case 'button':
      checkText(el.text, `${p}/text`, c, { max: 75, plainOnly: true });
      maxLen(el.value, 2000, `${p}/value`, c);
      maxLen(el.url, 3000, `${p}/url`, c);
      maxLen(el.accessibility_label, 75, `${p}/accessibility_label`, c);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        c('must be one of: primary, danger', `${p}/style`);
      }
      if (el.confirm !== undefined) checkConfirm(el.confirm, `${p}/confirm`, c);
      return;
    case 'plain_text_input':
      if (el.placeholder !== undefined) checkText(el.placeholder, `${p}/placeholder`, c, { max: 150, plainOnly: true });
      maxLen(el.initial_value, 3000, `${p}/initial_value`, c);
      if (el.max_length !== undefined && (typeof el.max_length !== 'number' || el.max_length > 3000)) {
        c('must be less than or equal to 3000', `${p}/max_length`);
      }
      return;
    case 'image':
      maxLen(el.image_url, 3000, `${p}/image_url`, c);
      maxLen(el.alt_text, 2000, `${p}/alt_text`, c);
      return;
    default:
      if (typeof el.type === 'string' && OTHER_ELEMENTS.has(el.type)) return;
      c('failed to match all allowed schemas', p);
      c(`unsupported type: ${String(el.type)}`, `${p}/type`);
  }
}
