// Posting to a response_url (ephemeral replies to commands and buttons) over node:http(s) with a
// keep-alive agent. Same wire contract as Bolt's `respond()` (POST, JSON body, a non-2xx is an
// error), without undici's fetch: under a burst of commands its Request/Response objects and
// web streams cost more CPU per reply than the command's own work, on the process that must
// keep acking within Slack's 3 s.
import http from 'node:http';
import https from 'node:https';
import type { RespondArguments, RespondFn } from '@slack/bolt';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};
const TIMEOUT_MS = 30_000;

export class ResponseUrlError extends Error {
  constructor(message: string, readonly statusCode: number) {
    super(message);
  }
}

/** POSTs `message` as JSON to `url`; resolves with the status on 2xx, rejects otherwise. */
export function postResponse(url: string, message: string | RespondArguments): Promise<{ status: number }> {
  const body = JSON.stringify(typeof message === 'string' ? { text: message } : message);
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new ResponseUrlError(`invalid response_url`, 0));
      return;
    }
    const agent = target.protocol === 'https:' ? agents['https:'] : target.protocol === 'http:' ? agents['http:'] : undefined;
    if (!agent) {
      reject(new ResponseUrlError(`unsupported response_url protocol ${target.protocol}`, 0));
      return;
    }
    const send = target.protocol === 'https:' ? https.request : http.request;
    const req = send(target, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      res.once('end', () => {
        if (status >= 200 && status < 300) resolve({ status });
        else reject(new ResponseUrlError(`Failed to respond to the response_url: ${status} ${res.statusMessage ?? ''}`.trim(), status));
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`response_url did not answer within ${TIMEOUT_MS / 1000} s`)));
    req.end(body);
  });
}

/**
 * A `respond` for this request's response_url: ours when the payload carries one, else Bolt's
 * (which may be undefined, e.g. a view submission without response_urls).
 */
export function responder(responseUrl: unknown, fallback: RespondFn): RespondFn;
export function responder(responseUrl: unknown, fallback: RespondFn | undefined): RespondFn | undefined;
export function responder(responseUrl: unknown, fallback: RespondFn | undefined): RespondFn | undefined {
  if (typeof responseUrl !== 'string' || !responseUrl) return fallback;
  // RespondFn's declared result is fetch's Response; every caller here awaits it for success only.
  return ((message: string | RespondArguments) => postResponse(responseUrl, message)) as unknown as RespondFn;
}
