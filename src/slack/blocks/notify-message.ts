// A plain notification as a single section. `text` is mrkdwn composed by the caller
// (mentions like <@U123> must survive), so it is cut but not escaped.
import { cut, LIMITS, section, type SlackMessage } from './kit.js';

export function notifyMessage(text: string): SlackMessage {
  return { text: cut(text, LIMITS.fallbackText), blocks: [section(text)] };
}
