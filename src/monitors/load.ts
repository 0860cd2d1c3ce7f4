// MONITORS_FILE -> validated monitors. A missing file means "no monitors" (monitoring is opt-in);
// an invalid one is an error listing every problem as "<file>:<line>:<col> <field.path>: <message>",
// like runbooks, so the process refuses to boot with half its monitors.
import { readFile } from 'node:fs/promises';
import { parseYaml } from '../runbooks/positions.js';
import { formatProblem, zodProblems, type Problem } from '../runbooks/validate.js';
import { MonitorsFile, type HealthMonitor, type QueueMonitor } from './schema.js';

export type EnvLookup = (name: string) => string | undefined;

export interface Monitors {
  alertsChannel?: string;
  health: HealthMonitor[];
  queues: QueueMonitor[];
  /** The file read, or undefined when it did not exist. */
  file?: string;
}

export class InvalidMonitorsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid monitors file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'InvalidMonitorsError';
  }
}

export interface LoadMonitorsOptions {
  /** When given, every `url_env` must name a set variable (checked at boot, not at the first probe). */
  env?: EnvLookup;
}

export async function loadMonitors(file = './monitors.yml', options: LoadMonitorsOptions = {}): Promise<Monitors> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { health: [], queues: [] };
    throw new InvalidMonitorsError(file, [`${file}:1:1 (file): cannot read: ${(err as Error).message}`]);
  }
  return parseMonitors(text, file, options);
}

/** The same checks on text already read (tests, `tzero lint`). */
export function parseMonitors(text: string, file: string, options: LoadMonitorsOptions = {}): Monitors {
  const { value, locate, errors } = parseYaml(text);
  if (errors.length) {
    throw new InvalidMonitorsError(file, errors.map((e) => `${file}:${e.position.line}:${e.position.col} (yaml): ${e.message}`));
  }
  // An empty file is a file with no monitors, not an error.
  const input = value ?? {};
  const parsed = MonitorsFile.safeParse(input);
  const problems: Problem[] = parsed.success ? unsetEnv(parsed.data, options.env) : zodProblems(parsed.error, [], input);
  if (problems.length || !parsed.success) {
    const sorted = problems
      .map((p) => ({ p, at: locate(p.path, { key: p.atKey }) }))
      .sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col);
    throw new InvalidMonitorsError(file, sorted.map(({ p }) => formatProblem(p, { file, positions: locate })));
  }
  return { alertsChannel: parsed.data.alerts_channel, health: parsed.data.health, queues: parsed.data.queues, file };
}

function unsetEnv(file: MonitorsFile, env: EnvLookup | undefined): Problem[] {
  if (!env) return [];
  const problems: Problem[] = [];
  file.queues.forEach((q, i) => {
    for (const [kind, source] of Object.entries(q.source)) {
      const name = (source as { url_env?: string } | undefined)?.url_env;
      if (name && !env(name)) problems.push({ path: ['queues', i, 'source', kind, 'url_env'], message: `environment variable ${name} is not set` });
    }
  });
  return problems;
}
