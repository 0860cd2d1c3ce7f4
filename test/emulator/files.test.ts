// The emulator's upload flow, as Slack documents it (integrations.md §4.1), through a real
// WebClient: get an upload URL (form-encoded only), POST the bytes, complete into a thread.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/server.js';
import { TOKEN, slackError, startTestEmulator, webClient } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

it('uploads a file in three steps and shares it in a thread, where the page can open it', async () => {
  const client = webClient(emu);
  const parent = await client.chat.postMessage({ channel: 'C0CUTOVER', text: 'Run abc started' });
  const body = '# report\n| a \\| b |\n';
  const got = await client.files.getUploadURLExternal({ filename: 'db-abc.md', length: Buffer.byteLength(body) });
  expect(got).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/), upload_url: expect.stringContaining('/upload/') });

  // Not uploaded yet: completing it finds nothing.
  expect(await slackError(client.files.completeUploadExternal({ files: [{ id: got.file_id! }], channel_id: 'C0CUTOVER' }))).toMatchObject({ error: 'file_not_found' });
  const up = await fetch(got.upload_url!, { method: 'POST', body });
  expect(up.status).toBe(200);
  const done = await client.files.completeUploadExternal({ files: [{ id: got.file_id!, title: 'Report' }], channel_id: 'C0CUTOVER', thread_ts: parent.ts!, initial_comment: 'Report for run abc' });
  expect(done.files).toEqual([{ id: got.file_id, title: 'Report' }]);

  const replies = await client.conversations.replies({ channel: 'C0CUTOVER', ts: parent.ts! });
  const shared = replies.messages!.find((m) => m.text === 'Report for run abc') as { files?: { id: string; name: string; url_private: string; size: number }[] };
  expect(shared.files).toEqual([expect.objectContaining({ id: got.file_id, name: 'db-abc.md', size: Buffer.byteLength(body) })]);
  const served = await fetch(shared.files![0]!.url_private);
  expect(served.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await served.text()).toBe(body);
  // Completed once: a second completion does not share it again.
  expect(await slackError(client.files.completeUploadExternal({ files: [{ id: got.file_id! }], channel_id: 'C0CUTOVER' }))).toMatchObject({ error: 'file_not_found' });
});

it('refuses a JSON body for getUploadURLExternal, a zero length, an unknown channel and a bad thread', async () => {
  const json = await fetch(`${emu.apiUrl}files.getUploadURLExternal`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ filename: 'a.md', length: 3 }) });
  expect(await json.json()).toMatchObject({ ok: false, error: 'invalid_arguments' });
  const client = webClient(emu);
  expect(await slackError(client.files.getUploadURLExternal({ filename: 'a.md', length: 0 }))).toMatchObject({ error: 'missing_argument' });
  const got = await client.files.getUploadURLExternal({ filename: 'a.md', length: 3 });
  await fetch(got.upload_url!, { method: 'POST', body: 'abc' });
  expect(await slackError(client.files.completeUploadExternal({ files: [{ id: got.file_id! }], channel_id: 'C0NOPE' }))).toMatchObject({ error: 'channel_not_found' });
  expect(await slackError(client.files.completeUploadExternal({ files: [{ id: got.file_id! }], channel_id: 'C0CUTOVER', thread_ts: '1.000001' }))).toMatchObject({ error: 'invalid_arguments' });
  expect(emu.store.apiCalls.filter((c) => c.method.startsWith('files.')).length).toBeGreaterThan(3);
});
