// A small real Bolt app used as the "bot" in delivery tests: Bolt's own signature check must accept us.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../emulator/server.js';
import { SECRET, TOKEN, md, text } from './helpers.js';

export interface TestBot {
  url: string;
  /** Raw bodies Bolt handed to listeners, newest last. */
  seen: { commands: Record<string, unknown>[]; actions: Record<string, unknown>[]; views: Record<string, unknown>[] };
  stop(): Promise<void>;
}

export const startModal = {
  type: 'modal' as const, callback_id: 'start', private_metadata: 'run-42', title: text('Start cutover'),
  submit: text('Start'), close: text('Cancel'),
  blocks: [{ type: 'input', block_id: 'reason', label: text('Reason'), element: { type: 'plain_text_input', action_id: 'value' } }],
};

export const planBlocks = [
  { type: 'section', block_id: 'summary', text: md('*Plan*: 3 steps') },
  { type: 'actions', block_id: 'plan_actions', elements: [{
    type: 'button', action_id: 'approve', value: 'run-42', style: 'primary', text: text('Approve'),
    confirm: { title: text('Approve?'), text: md('Start the cutover'), confirm: text('Yes'), deny: text('No') },
  }] },
];

export async function startBolt(emu: Emulator, signingSecret = SECRET): Promise<TestBot> {
  const seen: TestBot['seen'] = { commands: [], actions: [], views: [] };
  const receiver = new HTTPReceiver({ signingSecret, logLevel: LogLevel.ERROR });
  const app = new App({
    token: TOKEN, receiver, logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/cutover', async ({ command, ack, respond, client }) => {
    seen.commands.push({ ...command });
    if (command.text === 'start') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: startModal });
    } else if (command.text === 'plan') {
      await ack();
      await client.chat.postMessage({ channel: command.channel_id, text: 'Plan', blocks: planBlocks });
    } else if (command.text === 'private') {
      await ack();
      await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text: 'Plan', blocks: planBlocks });
    } else if (command.text === 'slow') {
      await new Promise((r) => setTimeout(r, 400));
      await ack();
    } else {
      await ack(`Got: ${command.text}`);
      await respond({ response_type: 'in_channel', text: `<@${command.user_id}> ran ${command.text}` });
    }
  });
  app.action('approve', async ({ ack, body, respond }) => {
    await ack();
    seen.actions.push(body as unknown as Record<string, unknown>);
    const ephemeral = (body as { container?: { is_ephemeral?: boolean } }).container?.is_ephemeral;
    if (ephemeral) await respond({ delete_original: true });
    else await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  app.view('start', async ({ ack, view, body, client }) => {
    seen.views.push(body as unknown as Record<string, unknown>);
    const reason = view.state.values.reason?.value?.value ?? '';
    if (reason.length < 3) {
      await ack({ response_action: 'errors', errors: { reason: 'Give a longer reason' } });
      return;
    }
    await ack();
    await client.chat.postMessage({ channel: 'C0CUTOVER', text: `Cutover ${view.private_metadata} started: ${reason}` });
  });
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/slack/events`, seen, stop: () => app.stop() as Promise<void> };
}
