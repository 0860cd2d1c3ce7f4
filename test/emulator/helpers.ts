// Shared setup for emulator tests: an emulator on a random port and a real WebClient pointed at it.
import { WebClient } from '@slack/web-api';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.js';

export const TOKEN = 'xoxb-test-token';
export const SECRET = 'test-signing-secret';

export function startTestEmulator(opts: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ port: 0, signingSecret: SECRET, botToken: TOKEN, ...opts });
}

/** token null = no Authorization header at all. */
export function webClient(emulator: Emulator, token: string | null = TOKEN, extra: Record<string, unknown> = {}): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, ...extra });
}

/** The `data` of a rejected Web API call (WebAPIPlatformError carries Slack's body there). */
export async function slackError(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const data = (err as { data?: Record<string, unknown> }).data;
    if (data) {
      // WebClient adds an empty response_metadata to every body it returns; the server did not send it.
      const { response_metadata, ...rest } = data;
      const meta = response_metadata as Record<string, unknown> | undefined;
      return meta && Object.keys(meta).length > 0 ? data : rest;
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

export const text = (t: string) => ({ type: 'plain_text' as const, text: t });
export const md = (t: string) => ({ type: 'mrkdwn' as const, text: t });
