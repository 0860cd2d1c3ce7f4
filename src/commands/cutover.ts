// The /cutover listener: ack at once (empty), parse, hand to the subcommand, reply ephemerally.
import type { App } from '@slack/bolt';
import { COMMANDS } from '../slack/action-ids.js';
import { helpReply, notifyMessage, type SlackMessage } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import { answer } from '../slack/reply.js';
import { abortRun } from './abort.js';
import type { CommandContext } from './context.js';
import { listRunbooks } from './list.js';
import { CommandPayload, parseCutover, type Cutover } from './parse.js';
import { startRun } from './start.js';
import { runStatus } from './status.js';
import { afterAck } from '../slack/after-ack.js';
import { responder } from '../slack/respond.js';

function dispatch(ctx: CommandContext, cmd: Cutover): Promise<SlackMessage> {
  switch (cmd.sub) {
    case 'start':
      return startRun(ctx, cmd.runbook, cmd.dryRun);
    case 'status':
      return runStatus(ctx, cmd.runId);
    case 'list':
      return listRunbooks(ctx);
    case 'abort':
      return abortRun(ctx, cmd.runId);
    case 'help':
      return Promise.resolve(helpReply());
  }
}

export function registerCutover(app: App, deps: SlackDeps, now: () => number = Date.now): void {
  app.command(COMMANDS.cutover, async ({ ack, command, respond }) => {
    await ack();
    await afterAck(async () => {
      const payload = CommandPayload.safeParse(command);
      if (!payload.success) {
        deps.log.warn({ issues: payload.error.issues }, 'malformed slash command');
        return;
      }
      const { user_id: user, channel_id: channel, text } = payload.data;
      const parsed = parseCutover(text);
      const ctx: CommandContext = { engine: deps.engine, user, channel, now };
      await answer(responder(command.response_url, respond), deps.log, 'command', { command: COMMANDS.cutover, user, channel }, () =>
        parsed.ok ? dispatch(ctx, parsed.cmd) : Promise.resolve(notifyMessage(parsed.usage)));
    });
  });
}
