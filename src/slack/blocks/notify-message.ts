// A plain notification as a single section. `text` is trusted mrkdwn composed by the caller
// (mentions like <@U123> must survive, outside values were escaped by `md`): cut, not escaped.
import { cutMd, LIMITS, section, type Mrkdwn, type SlackMessage } from './kit.js';

export function notifyMessage(text: Mrkdwn): SlackMessage {
  return { text: cutMd(text, LIMITS.fallbackText).text, blocks: [section(text)] };
}
