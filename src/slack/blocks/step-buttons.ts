// Buttons under a failed or in-doubt step while the run waits for a human.
import type { Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { button, type Button } from './kit.js';
import { stepRefValue } from './values.js';

function rollbackButton(run: Run, step: StepState, value: string): Button {
  return button({
    actionId: ACTION_IDS.stepRollback, text: 'Roll back', style: 'danger', value,
    confirm: { title: 'Roll back this run?', text: `Undo the completed steps of run ${run.id} in reverse order, starting before ${step.id}.`, confirm: 'Roll back' },
  });
}

export function recoveryButtons(run: Run, step: StepState): Button[] {
  if (run.status !== 'paused' && run.status !== 'running') return [];
  const value = stepRefValue({ runId: run.id, stepId: step.id, attempt: step.attempt });
  if (step.status === 'failed' && run.status === 'paused') {
    return [
      button({ actionId: ACTION_IDS.retry, text: 'Retry', style: 'primary', value }),
      button({ actionId: ACTION_IDS.skip, text: 'Skip', value }),
      rollbackButton(run, step, value),
    ];
  }
  if (step.status === 'in_doubt') {
    return [
      button({
        actionId: ACTION_IDS.runAgain, text: 'Run again', value,
        confirm: { title: `Run ${step.id} again?`, text: 'Only if running it twice is safe. Check the target first.', confirm: 'Run again' },
      }),
      button({
        actionId: ACTION_IDS.markDone, text: 'Mark done', value,
        confirm: { title: `Mark ${step.id} done?`, text: 'Only if you verified the step took effect.', confirm: 'Mark done' },
      }),
      rollbackButton(run, step, value),
    ];
  }
  return [];
}
