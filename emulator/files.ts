// Slack's current upload flow (files.getUploadURLExternal → POST bytes to upload_url →
// files.completeUploadExternal). Files live in memory; a completed file is shared as a
// message carrying `files` in its channel or thread, and its bytes are served for the page.
import { randomBytes } from 'node:crypto';

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  /** The `length` announced in step 1. */
  length: number;
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  shared?: { channel: string; thread_ts?: string; ts: string };
  created: number;
}

export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  create(name: string, length: number): StoredFile {
    const file: StoredFile = { id: `F${randomBytes(5).toString('hex').toUpperCase()}`, name, title: name, length, created: Math.floor(Date.now() / 1000) };
    this.files.set(file.id, file);
    return file;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  all(): StoredFile[] {
    return [...this.files.values()];
  }
}

/** A file object as Slack returns it inside messages (the fields the page and tests read). */
export function fileObject(f: StoredFile, baseUrl: string): Record<string, unknown> {
  return {
    id: f.id, name: f.name, title: f.title, size: f.bytes?.length ?? 0, created: f.created,
    mimetype: f.name.endsWith('.json') ? 'application/json' : f.name.endsWith('.md') ? 'text/markdown' : 'application/octet-stream',
    filetype: f.name.split('.').pop() ?? 'binary',
    url_private: `${baseUrl}/files/${f.id}/${encodeURIComponent(f.name)}`,
  };
}
