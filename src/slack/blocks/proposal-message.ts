// "Roll back now?" — posted in the run thread when a watch trigger fires with action: propose.
import type { Run } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, context, cut, cutMd, LIMITS, md, mdJoin, section, user, type KnownBlock, type SlackMessage } from './kit.js';
import { stamp } from './labels.js';
import { runValue } from './values.js';
import { rollbackButton } from './rollback-button.js';

export function proposalMessage(run: Run, proposalId: string, now: number): SlackMessage {
  const p = run.watch?.proposals.find((x) => x.id === proposalId);
  if (!p) return { text: 'Rollback proposal', blocks: [section(md`_This proposal is no longer available._`)] };
  const leads = mdJoin((run.runbook.roles.lead ?? []).map(user), ' ');
  const blocks: KnownBlock[] = [
    section(md`:rotating_light: ${leads} *Roll back now?* ${cut(p.reason, 1000)}`),
  ];
  if (p.evidence.length) blocks.push(section(mdJoin(p.evidence.map((e) => md`• ${e}`))));
  const rolling = run.rollback !== undefined;
  if (rolling) {
    blocks.push(context(md`Rollback requested by ${user(run.rollback!.requestedBy)} at ${stamp(run.rollback!.at)}`));
  } else if (p.status === 'dismissed') {
    blocks.push(context(md`Dismissed by ${user(p.decidedBy!.user)} at ${stamp(p.decidedBy!.at)}`));
  } else if (run.status === 'watching') {
    blocks.push(actions(`proposal_${p.id}`, [
      rollbackButton(run, ACTION_IDS.runRollback, runValue(run.id)),
      button({ actionId: ACTION_IDS.dismissProposal, text: 'Dismiss', value: JSON.stringify({ runId: run.id, proposalId: p.id }) }),
    ]));
  } else {
    blocks.push(context(md`The rollback window is closed (${stamp(now)}).`));
  }
  return { text: cutMd(md`Roll back ${run.runbook.name} now? ${p.reason}`, LIMITS.fallbackText).text, blocks };
}
