// One shape for every button listener: ack first, parse the value with zod, call the engine,
// answer ephemerally (errors included). A stale or forged value gets a polite answer.
import { md } from '../lib/mrkdwn.js';
import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { z } from 'zod';
import type { SlackMessage } from '../slack/blocks/index.js';
import { notifyMessage } from '../slack/blocks/index.js';
import { parseValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { answer } from '../slack/reply.js';
import { BlockActionBody } from './payload.js';
import { afterAck } from '../slack/after-ack.js';
import { responder } from '../slack/respond.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export interface ButtonContext<T> {
  value: T;
  user: string;
  channel?: string;
  triggerId?: string;
  args: ButtonArgs;
}

export interface ButtonOptions {
  /** Replace the message holding the button with the answer (the /rollback ephemeral). */
  replaceOriginal?: boolean;
}

export function onButton<T>(
  app: App, deps: SlackDeps, actionId: string, schema: z.ZodType<T>,
  work: (ctx: ButtonContext<T>) => Promise<SlackMessage | void>, options: ButtonOptions = {},
): void {
  app.action<BlockAction>(actionId, async (args) => {
    await args.ack();
    await afterAck(async () => {
      const body = BlockActionBody.safeParse(args.body);
      const action = body.success ? body.data.actions.find((a) => a.action_id === actionId) : undefined;
      const value = parseValue(schema, action?.value);
      const meta = { actionId, user: body.success ? body.data.user.id : undefined };
      const respond = responder(args.body.response_url, args.respond);
      if (!body.success || !value) {
        deps.log.warn(meta, 'malformed button value');
        await answer(respond, deps.log, 'button', meta, async () =>
          notifyMessage(md`:hourglass: This button is out of date or malformed; use the latest message.`));
        return;
      }
      const b = body.data;
      const channel = b.channel?.id ?? b.container?.channel_id;
      await answer(respond, deps.log, 'button', { ...meta, value }, () =>
        work({ value, user: b.user.id, args, ...(channel ? { channel } : {}), ...(b.trigger_id ? { triggerId: b.trigger_id } : {}) }),
        options.replaceOriginal ?? false);
    });
  });
}
