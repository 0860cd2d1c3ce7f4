// Buttons under a failed or in-doubt step while the run waits for a human.
import type { Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { button, type Button } from './kit.js';
import { stepRefValue } from './values.js';
import { rollbackButton } from './rollback-button.js';

function stepRollbackButton(run: Run, value: string): Button {
  return rollbackButton(run, ACTION_IDS.stepRollback, value);
}

export function recoveryButtons(run: Run, step: StepState): Button[] {
  if (run.status !== 'paused' && run.status !== 'running') return [];
  const value = stepRefValue({ runId: run.id, stepId: step.id, attempt: step.attempt });
  if (step.status === 'failed' && run.status === 'paused') {
    return [
      button({ actionId: ACTION_IDS.retry, text: 'Retry', style: 'primary', value }),
      button({ actionId: ACTION_IDS.skip, text: 'Skip', value }),
      stepRollbackButton(run, value),
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
      stepRollbackButton(run, value),
    ];
  }
  return [];
}
