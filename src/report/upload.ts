// Slack's upload flow, three calls (integrations.md §4.1): files.getUploadURLExternal
// (form-encoded, as @slack/web-api sends it), POST the bytes to upload_url (200 = success),
// files.completeUploadExternal sharing every file in the run thread with one comment.
import type { WebClient } from '@slack/web-api';
import type { Mrkdwn } from '../lib/mrkdwn.js';

export interface UploadFile {
  filename: string;
  title: string;
  content: string;
}

export interface FileUploader {
  upload(target: { channel: string; threadTs: string; comment: Mrkdwn }, files: UploadFile[]): Promise<string[]>;
}

export function slackUploader(client: WebClient, fetchImpl: typeof fetch = fetch): FileUploader {
  return {
    async upload(target, files) {
      const ids: { id: string; title: string }[] = [];
      for (const f of files) {
        const bytes = Buffer.from(f.content, 'utf8');
        const got = await client.files.getUploadURLExternal({ filename: f.filename, length: bytes.length });
        if (!got.upload_url || !got.file_id) throw new Error('files.getUploadURLExternal returned no upload_url');
        const res = await fetchImpl(got.upload_url, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
        if (res.status !== 200) throw new Error(`upload of ${f.filename} failed: HTTP ${res.status}`);
        ids.push({ id: got.file_id, title: f.title });
      }
      const [first, ...rest] = ids;
      if (!first) return [];
      await client.files.completeUploadExternal({ files: [first, ...rest], channel_id: target.channel, thread_ts: target.threadTs, initial_comment: target.comment.text });
      return ids.map((x) => x.id);
    },
  };
}
