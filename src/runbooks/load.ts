// Runbook files -> validated runbooks. A file is read, hashed, parsed and validated as a whole;
// problems read "<file>:<line>:<col> <field.path>: <message>".
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidRunbookError } from '../errors.js';
import { parseYaml, type Locate } from './positions.js';
import { count, formatProblem, validateRunbook, type ValidRunbook } from './validate.js';

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
  /** Variables a runbook may not read as secrets beyond tzero's own: the monitors' `url_env`. */
  reservedEnv?: readonly string[];
}

/** Reads and validates one runbook file; throws InvalidRunbookError listing every problem. */
export async function loadRunbookFile(file: string, options: LoadOptions = {}): Promise<LoadedRunbook> {
  return (await loadWithPositions(file, options)).loaded;
}

async function loadWithPositions(file: string, options: LoadOptions): Promise<{ loaded: LoadedRunbook; locate: Locate }> {
  const bytes = await readFile(file);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const { value, locate, errors } = parseYaml(bytes.toString('utf8'));
  if (errors.length) {
    const problems = errors.map((e) => `${file}:${e.position.line}:${e.position.col} (yaml): ${e.message}`);
    throw new InvalidRunbookError(`${file} is not valid YAML (${count(problems.length, 'problem')})`, problems);
  }
  return { loaded: { runbook: validateRunbook(value, { file, positions: locate, reservedEnv: options.reservedEnv }), hash, file }, locate };
}

// Parsed files by path, reused while the file's size, mtime and inode are unchanged: a start
// re-reads the folder, and validating every runbook on every command was most of its ack time.
// The entry holds the parse in flight, so a burst of starts parses a changed file once.
type Parsed = { loaded: LoadedRunbook; locate: Locate };
const cache = new Map<string, { stamp: string; parsed: Promise<Parsed> }>();

function loadCached(file: string, st: { size: number; mtimeMs: number; ino: number }, options: LoadOptions): Promise<Parsed> {
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}:${options.reservedEnv?.join(',') ?? ''}`;
  let hit = cache.get(file);
  if (hit?.stamp !== stamp) {
    const parsed = loadWithPositions(file, options);
    parsed.catch(() => undefined); // kept (and rethrown to each caller) until the file changes
    hit = { stamp, parsed };
    cache.set(file, hit);
  }
  return hit.parsed;
}

/** Every `*.yml` / `*.yaml` in `dir` (not recursive), in name order. A repeated `name` makes the later file invalid. */
export async function loadRunbooks(dir: string, options: LoadOptions = {}): Promise<LoadedDir> {
  // Names, not dirents: a mounted ConfigMap holds symlinks, which `stat` follows. The listing
  // and the stats are synchronous on purpose: a local folder answers in microseconds, while 50
  // promise stats through the thread pool cost ~4 ms of CPU per start (profiled under a burst).
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.')).sort();
  const stamped = names.map((name) => {
    const file = path.join(dir, name);
    try {
      const st = statSync(file);
      return st.isFile() ? { file, parsed: loadCached(file, st, options) } : null;
    } catch (err) {
      return { file, statError: err as Error };
    }
  });
  const result: LoadedDir = { runbooks: new Map(), invalid: [] };
  for (const entry of stamped) {
    if (!entry) continue;
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
