// tzero's own channel links in text it stores as plain (a step summary such as "posted in
// <#C0ALERTS>", a dry-run preview): they render as links only for channels the run's own runbook
// names (its channel, a notify's `channel:`), so text from a target can link nowhere else.
import type { Run } from '../../engine/types.js';
import { esc, Mrkdwn, trustStored } from '../../lib/mrkdwn.js';

const CHANNEL_ID = /^[CG][A-Z0-9]+$/;

export function ownChannels(run: Run): Set<string> {
  const found = new Set<string>([run.channel, run.runbook.channel]);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (k === 'channel' && typeof item === 'string' && CHANNEL_ID.test(item)) found.add(item);
        else walk(item);
      }
    }
  };
  walk(run.runbook.steps);
  return found;
}

/** Plain text, escaped, with `<#C…>` links to the run's own channels kept live. */
export function plainWithOwnChannels(text: string, run: Run): Mrkdwn {
  const own = ownChannels(run);
  const escaped = esc(text).text.replace(/&lt;#([CG][A-Z0-9]+)&gt;/g, (whole, id: string) => (own.has(id) ? `<#${id}>` : whole));
  return trustStored(escaped);
}
