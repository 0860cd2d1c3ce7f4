// The variables the monitors file reads connection URLs from (`url_env`). They hold passwords
// of tzero's own monitoring, so a runbook may not read them as secrets. Read leniently (any
// `url_env` anywhere in the YAML): an invalid monitors file is reported on its own, and must not
// reopen this hole meanwhile.
import { readFile } from 'node:fs/promises';
import { parseYaml } from '../runbooks/positions.js';

export async function monitorEnvNames(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return []; // no monitors file: no monitors
  }
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
  walk(parseYaml(text).value);
  return [...names].sort();
}
