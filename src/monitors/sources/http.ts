// Depth from an HTTP JSON endpoint (a stats page): GET, then read the number at `path`.
import { httpProbe } from '../../lib/http-expect.js';
import { readJsonPath } from '../../lib/json-path.js';
import type { EnvLookup } from '../load.js';
import type { HttpSource } from '../schema.js';
import { redactError, toDepth, urlFrom } from './common.js';

export async function readHttpDepth(source: HttpSource, env: EnvLookup): Promise<number> {
  const url = source.url ?? urlFrom(env, source.url_env!);
  const where = source.url_env ? `$${source.url_env}` : 'stats endpoint';
  const observation = await httpProbe({ url, method: 'GET', followRedirects: true, timeoutMs: source.timeout, headers: { accept: 'application/json' } });
  if (!observation.ok) throw new Error(`${where}: ${redactError(observation.error, url)}`);
  if (observation.status < 200 || observation.status >= 300) throw new Error(`${where}: status ${observation.status}`);
  let json: unknown;
  try {
    json = JSON.parse(observation.body);
  } catch {
    throw new Error(`${where}: body is not JSON`);
  }
  const found = readJsonPath(json, source.path);
  if (!found.found) throw new Error(`${where}: nothing at ${found.missingAt}`);
  return toDepth(found.value, `${where} ${source.path}`);
}
