// /rollback [run] [reason]: authorize via the engine, then offer a danger button behind a confirm.
import type { App } from '@slack/bolt';
import { PreconditionFailedError } from '../errors.js';
import { COMMANDS } from '../slack/action-ids.js';
import { notifyMessage, rollbackConfirm } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import { answer } from '../slack/reply.js';
import { CommandPayload, parseRollback } from './parse.js';
import { afterAck } from '../slack/after-ack.js';
import { responder } from '../slack/respond.js';

export function registerRollback(app: App, deps: SlackDeps): void {
  app.command(COMMANDS.rollback, async ({ ack, command, respond }) => {
    await ack();
    await afterAck(async () => {
      const payload = CommandPayload.safeParse(command);
      if (!payload.success) {
        deps.log.warn({ issues: payload.error.issues }, 'malformed slash command');
        return;
      }
      const { user_id: user, channel_id: channel, text } = payload.data;
      await answer(responder(command.response_url, respond), deps.log, 'command', { command: COMMANDS.rollback, user, channel }, async () => {
        const parsed = parseRollback(text);
        if (!parsed) return notifyMessage('Usage: `/rollback [run] [reason]`');
        const runId = parsed.runId ?? (await deps.engine.activeRun(channel))?.id;
        if (!runId) throw new PreconditionFailedError('There is no active run in this channel; use `/rollback <run>`.');
        const run = await deps.engine.checkRollback(runId, user);
        return rollbackConfirm(run, parsed.reason);
      });
    });
  });
}
