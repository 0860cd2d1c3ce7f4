// One shape for modal submissions: the answer must be in the ack, so the engine is called
// first and its refusal becomes an error under the input block (the modal stays open).
import type { z } from 'zod';
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { errorText, isExpected } from '../slack/blocks/index.js';
import { ModalMeta, parseValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { ViewSubmissionBody } from './payload.js';

export interface SubmitContext<M = ModalMeta> {
  meta: M;
  user: string;
  body: ViewSubmissionBody;
}

/** `work` returns an error for the input block, or null when the submission went through. */
export function onViewSubmit<M = ModalMeta>(
  app: App, deps: SlackDeps, callbackId: string, blockId: string, work: (ctx: SubmitContext<M>) => Promise<string | null>,
  metaSchema: z.ZodType<M> = ModalMeta as unknown as z.ZodType<M>,
): void {
  app.view<ViewSubmitAction>(callbackId, async (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const body = ViewSubmissionBody.safeParse(args.body);
    const meta = body.success ? parseValue(metaSchema, body.data.view.private_metadata) : null;
    if (!body.success || !meta) {
      deps.log.warn({ callbackId }, 'malformed view submission');
      await args.ack({ response_action: 'errors', errors: { [blockId]: 'This form is out of date; close it and use the latest message.' } });
      return;
    }
    let error: string | null;
    try {
      error = await work({ meta, user: body.data.user.id, body: body.data });
    } catch (err) {
      if (isExpected(err)) deps.log.info({ callbackId, meta, reason: (err as Error).message }, 'slack request refused');
      else deps.log.error({ callbackId, meta, err }, 'slack request failed');
      error = errorText(err, 'button');
    }
    await args.ack(error ? { response_action: 'errors', errors: { [blockId]: error.slice(0, 2000) } } : undefined);
  });
}
