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
import { cancelRun } from './cancel.js';
import { handoverRole } from './handover.js';
import { planRun } from './plan.js';
import { listPlans } from './plans.js';
import { rescheduleRun } from './reschedule.js';
import { showRoles } from './roles.js';
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
    case 'plan':
      return planRun(ctx, cmd.runbook, cmd.when, cmd.dryRun);
    case 'plans':
      return listPlans(ctx);
    case 'reschedule':
      return rescheduleRun(ctx, cmd.runId, cmd.when);
    case 'cancel':
      return cancelRun(ctx, cmd.runId, cmd.reason);
    case 'roles':
      return showRoles(ctx, cmd.runId);
    case 'handover':
      return handoverRole(ctx, cmd.runId, cmd.role, cmd.to);
  }
}

export function registerCutover(app: App, deps: SlackDeps, now: () => number = Date.now): void {
  onCommand(app, deps, COMMANDS.cutover, async ({ user, channel, text }) => {
    const parsed = parseCutover(text);
    const ctx: CommandContext = { engine: deps.engine, user, channel, now };
    return parsed.ok ? dispatch(ctx, parsed.cmd) : notifyMessage(esc(parsed.usage));
  });
}
