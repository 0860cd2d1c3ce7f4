// The /cutover listener: ack at once (empty), parse, hand to the subcommand, reply ephemerally.
import { esc } from '../lib/mrkdwn.js';
import type { App } from '@slack/bolt';
import { COMMANDS } from '../slack/action-ids.js';
import { helpReply, notifyMessage, type SlackMessage } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import { abortRun } from './abort.js';
import type { CommandContext } from './context.js';
import { listRunbooks } from './list.js';
import { onCommand } from './on-command.js';
import { parseCutover, type Cutover } from './parse.js';
import { requestReport } from './report.js';
import { startRun } from './start.js';
import { runStatus } from './status.js';

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
    case 'report':
      return requestReport(ctx, cmd.runId);
    case 'help':
      return Promise.resolve(helpReply());
  }
}

export function registerCutover(app: App, deps: SlackDeps, now: () => number = Date.now): void {
  onCommand(app, deps, COMMANDS.cutover, async ({ user, channel, text }) => {
    const parsed = parseCutover(text);
    const ctx: CommandContext = { engine: deps.engine, user, channel, now };
    return parsed.ok ? dispatch(ctx, parsed.cmd) : notifyMessage(esc(parsed.usage));
  });
}
