// The monitor ids a runbook may name (`silence`, `unsilence`, `watch.rollback_if`): those of the
// monitors file, plus tzero's own. Read leniently: an invalid monitors file is reported on its
// own (boot, `tzero lint`), and its ids still count here, so one typo is not reported twice.
import { readFile, stat } from 'node:fs/promises';
import { fromTable } from './positions.js';
import type { KnownMonitors } from './known-monitors.js';
import { parseYamlText } from './yaml-pool.js';

export { SELF_OTHER_MONITORS, SELF_QUEUE_MONITORS, type KnownMonitors } from './known-monitors.js';

// Read again only when the file changes: every /cutover start scans the runbooks folder.
const cache = new Map<string, KnownMonitors>();

export async function readMonitorIds(file: string): Promise<KnownMonitors> {
  let st;
  try {
    st = await stat(file);
  } catch {
    return { file, exists: false, health: [], queues: [], stamp: 'missing' };
  }
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit;
  let text: string;
  try {
    // The monitors file is tzero's own, but bounded all the same.
    text = st.size > 1024 * 1024 ? '' : await readFile(file, 'utf8');
  } catch {
    return { file, exists: false, health: [], queues: [], stamp: 'missing' };
  }
  const { value } = fromTable(await parseYamlText(text));
  const ids = (list: unknown): string[] =>
    (Array.isArray(list) ? list : []).map((m) => (m as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string');
  const root = (value ?? {}) as { health?: unknown; queues?: unknown };
  const known = { file, exists: true, health: ids(root.health), queues: ids(root.queues), urlEnv: urlEnvNames(value), stamp };
  cache.set(file, known);
  return known;
}

/** Every `url_env` anywhere in the file, read leniently: an invalid file must not reopen the hole. */
function urlEnvNames(value: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (k === 'url_env' && typeof item === 'string') names.add(item);
        else walk(item);
      }
    }
  };
  walk(value);
  return [...names].sort();
}
