// Runbook files -> validated runbooks. A file is read, hashed, parsed and validated as a whole;
// problems read "<file>:<line>:<col> <field.path>: <message>". Files are bounded (1 MB, 500
// steps), must be UTF-8, and large ones are parsed off the main thread (yaml-pool.ts).
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidRunbookError } from '../errors.js';
import { readMonitorIds, type KnownMonitors } from './monitor-ids.js';
import { checkBytes } from './limits.js';
import type { Locate } from './positions.js';
import { formatProblem, type ValidRunbook } from './validate.js';
import { parseRunbook } from './yaml-pool.js';

export { validateRunbook, type ValidRunbook } from './validate.js';

export interface LoadedRunbook {
  runbook: ValidRunbook;
  /** sha256 of the file's bytes, hex. */
  hash: string;
  file: string;
}

export interface LoadedDir {
  /** Valid runbooks by name. */
  runbooks: Map<string, LoadedRunbook>;
  invalid: Array<{ file: string; problems: string[] }>;
}

export interface LoadOptions {
  /**
   * The monitors file (MONITORS_FILE): monitor ids named by the runbooks must exist in it, and
   * the file itself is not read as a runbook when it sits in the runbooks folder.
   */
  monitorsFile?: string;
}

/** Reads and validates one runbook file; throws InvalidRunbookError listing every problem. */
export async function loadRunbookFile(file: string, options: LoadOptions = {}): Promise<LoadedRunbook> {
  const monitors = options.monitorsFile === undefined ? undefined : await readMonitorIds(options.monitorsFile);
  return (await loadWithPositions(file, monitors)).loaded;
}

async function loadWithPositions(file: string, monitors: KnownMonitors | undefined): Promise<Parsed> {
  const bytes = await readFile(file);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const refused = checkBytes(bytes);
  if (refused) throw new InvalidRunbookError(`${file} cannot be read as a runbook`, [`${file}:${refused.line}:${refused.col} (file): ${refused.message}`]);
  const outcome = await parseRunbook(bytes.toString('utf8'), file, monitors);
  if (!outcome.ok) throw new InvalidRunbookError(outcome.message, outcome.problems);
  const at = outcome.namePosition;
  return { loaded: { runbook: outcome.runbook, hash, file }, locate: () => at };
}

// Parsed files by path, reused while the file's size, mtime and inode (and the monitors file)
// are unchanged: a start re-reads the folder, and validating every runbook on every command was
// most of its ack time. The entry holds the parse in flight, so a burst of starts parses a
// changed file once.
/** `locate` knows only where `name` is: all the folder scan needs (duplicate names). */
type Parsed = { loaded: LoadedRunbook; locate: Locate };
const cache = new Map<string, { stamp: string; parsed: Promise<Parsed> }>();

function loadCached(file: string, st: { size: number; mtimeMs: number; ino: number }, monitors: KnownMonitors | undefined): Promise<Parsed> {
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}:${monitors?.file}:${monitors?.stamp}`;
  let hit = cache.get(file);
  if (hit?.stamp !== stamp) {
    // Too large: refused from its size alone, without reading a byte (a 20 MB file hung boot).
    const tooBig = checkSize(file, st.size);
    const parsed = tooBig ? Promise.reject(tooBig) : loadWithPositions(file, monitors);
    parsed.catch(() => undefined); // kept (and rethrown to each caller) until the file changes
    hit = { stamp, parsed };
    cache.set(file, hit);
  }
  return hit.parsed;
}

function checkSize(file: string, size: number): InvalidRunbookError | null {
  const refused = checkBytes({ length: size });
  return refused ? new InvalidRunbookError(`${file} is too large`, [`${file}:1:1 (file): ${refused.message}`]) : null;
}

/**
 * Every `*.yml` / `*.yaml` in `dir` (not recursive), in name order, except the monitors file.
 * A repeated `name` makes the later file invalid.
 */
export async function loadRunbooks(dir: string, options: LoadOptions = {}): Promise<LoadedDir> {
  const monitors = options.monitorsFile === undefined ? undefined : await readMonitorIds(options.monitorsFile);
  const skip = options.monitorsFile === undefined ? undefined : path.resolve(options.monitorsFile);
  // Names, not dirents: a mounted ConfigMap holds symlinks, which `stat` follows. The listing
  // and the stats are synchronous on purpose: a local folder answers in microseconds, while 50
  // promise stats through the thread pool cost ~4 ms of CPU per start (profiled under a burst).
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.')).sort();
  type Entry = { file: string; parsed: Promise<Parsed> } | { file: string; statError: Error };
  const stamped = names.flatMap((name): Entry[] => {
    const file = path.join(dir, name);
    if (path.resolve(file) === skip) return [];
    try {
      const st = statSync(file);
      return st.isFile() ? [{ file, parsed: loadCached(file, st, monitors) }] : [];
    } catch (err) {
      return [{ file, statError: err as Error }];
    }
  });
  const result: LoadedDir = { runbooks: new Map(), invalid: [] };
  for (const entry of stamped) {
    const { file } = entry;
    try {
      if ('statError' in entry) throw entry.statError;
      const { loaded, locate } = await entry.parsed;
      const first = result.runbooks.get(loaded.runbook.name);
      if (first) {
        const problem = formatProblem(
          { path: ['name'], message: `duplicate runbook name "${loaded.runbook.name}" (also in ${first.file})` },
          { file, positions: locate },
        );
        result.invalid.push({ file, problems: [problem] });
      } else {
        result.runbooks.set(loaded.runbook.name, loaded);
      }
    } catch (err) {
      if (err instanceof InvalidRunbookError) result.invalid.push({ file, problems: err.problems });
      else result.invalid.push({ file, problems: [`${file}:1:1 (file): cannot read: ${(err as Error).message}`] });
    }
  }
  return result;
}
