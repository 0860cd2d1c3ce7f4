// Before a run starts: can tzero post its card in the runbook's channel? A run whose card
// cannot be posted would run blind, so a definite "no" stops the start with a clear reason.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';

export type ChannelCheck = (channel: string) => Promise<string | null>;

export function channelCheck(client: WebClient, log: Logger): ChannelCheck {
  return async (channel) => {
    try {
      const res = await client.conversations.info({ channel });
      const c = res.channel;
      if (c?.is_archived) return `<#${channel}> is archived.`;
      if (c && c.is_member === false) return `tzero is not a member of <#${channel}>: \`/invite @tzero\` there first.`;
      return null;
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'channel_not_found') return `Slack does not know channel ${channel} (or tzero cannot see it): check the runbook's \`channel\` and invite @tzero.`;
      // Anything else (missing scope, a network blip) is not a verdict: the start goes on.
      log.warn({ channel, code, err: code ? undefined : err }, 'could not check the run channel');
      return null;
    }
  };
}
