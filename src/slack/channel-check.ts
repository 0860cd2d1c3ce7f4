// Before a run starts: can tzero post its card in the runbook's channel? A run whose card
// cannot be posted would run blind, so a definite "no" stops the start with a clear reason.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';

export type ChannelCheck = (channel: string) => Promise<string | null>;

// A channel found fit is trusted for a while: starts come in bursts, conversations.info is a
// Tier 3 method (~50/min), and a channel rarely stops being usable within minutes.
const OK_FOR_MS = 5 * 60_000;

export function channelCheck(client: WebClient, log: Logger, now: () => number = Date.now): ChannelCheck {
  const okUntil = new Map<string, number>();
  return async (channel) => {
    if ((okUntil.get(channel) ?? 0) > now()) return null;
    try {
      const res = await client.conversations.info({ channel });
      const c = res.channel;
      if (c?.is_archived) return `<#${channel}> is archived.`;
      if (c && c.is_member === false) return `tzero is not a member of <#${channel}>: \`/invite @tzero\` there first.`;
      okUntil.set(channel, now() + OK_FOR_MS);
      return null;
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'channel_not_found') return `Slack does not know channel ${channel} (or tzero cannot see it): check the runbook's \`channel\` and invite @tzero.`;
      // Anything else (missing scope, a network blip) is not a verdict: the start goes on.
      log.warn({ channel, code: code ?? (err as { code?: string }).code }, 'could not check the run channel');
      return null;
    }
  };
}
