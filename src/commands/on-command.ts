// One shape for every slash-command listener (as onButton is for buttons): ack at once, then,
// in the after-ack lane, parse the payload with zod and answer ephemerally (errors included).
import type { App } from '@slack/bolt';
import { afterAck } from '../slack/after-ack.js';
import type { SlackMessage } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import { answer } from '../slack/reply.js';
import { responder } from '../slack/respond.js';
import { CommandPayload } from './parse.js';

export interface CommandInput {
  user: string;
  channel: string;
  text: string;
}

export function onCommand(app: App, deps: SlackDeps, name: string, work: (input: CommandInput) => Promise<SlackMessage>): void {
  app.command(name, async ({ ack, command, respond }) => {
    await ack();
    await afterAck(async () => {
      const payload = CommandPayload.safeParse(command);
      if (!payload.success) {
        deps.log.warn({ issues: payload.error.issues }, 'malformed slash command');
        return;
      }
      const { user_id: user, channel_id: channel, text } = payload.data;
      await answer(responder(command.response_url, respond), deps.log, 'command', { command: name, user, channel }, () => work({ user, channel, text }));
    });
  });
}
