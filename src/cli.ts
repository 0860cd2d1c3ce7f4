// `tzero` command line: offline tools that need neither Slack nor Redis, and `report`, the one
// command that reads Redis.
//   tzero lint [dir|file] [--monitors FILE]   validate runbooks and the monitors file
//   tzero schema                              print the runbook JSON Schema
//   tzero report <run> [--format md|json] [--out FILE] | --schema
//   tzero help
import { access, readFile, stat } from 'node:fs/promises';
import { runbooksDir } from './config.js';
import { InvalidRunbookError } from './errors.js';
import { loadRunbookFile, loadRunbooks, type LoadedDir } from './runbooks/load.js';
import { closest } from './runbooks/suggest.js';
import { count } from './runbooks/validate.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: tzero <command>

Commands:
  lint [dir|file] [--monitors FILE]
                   Validate runbooks offline (default: $RUNBOOKS_DIR or ./runbooks), and the
                   monitors file their monitor ids must exist in (default: $MONITORS_FILE or
                   ./monitors.yml). Prints file:line:col field.path: message per problem; exit 1 if any.
  schema           Print the runbook JSON Schema (for editor autocompletion).
  report <run> [--format md|json] [--out FILE]
                   Print (or write) a run's report from Redis: the only command that needs
                   Redis (REDIS_URL, TZERO_KEY_PREFIX). report --schema prints its JSON Schema.
  help             Show this help. Every command also takes --help.`;

const LINT_USAGE = `Usage: tzero lint [dir|file] [--monitors FILE]

Validates every *.yml / *.yaml runbook in dir (default: $RUNBOOKS_DIR or ./runbooks), or one file,
exactly as tzero does at boot and at /cutover start.

Options:
  --monitors FILE  The monitors file (default: $MONITORS_FILE or ./monitors.yml; a missing default
                   file means no monitors). It is validated too, and every monitor id a runbook
                   names (silence, unsilence, watch.rollback_if) must be in it.
  -h, --help       Show this help.

Prints file:line:col field.path: message per problem and a summary.
Exit status: 0 all valid, 1 problems or unreadable files, 2 usage error.`;

const SCHEMA_USAGE = `Usage: tzero schema

Prints the runbook JSON Schema on stdout (e.g. npx tzero schema > runbook.schema.json).`;

const REPORT_USAGE = `Usage: tzero report <run> [--format md|json] [--out FILE]
       tzero report --schema

Prints the report of a run (timeline, approvals and sign-offs, alerts, rollback, planned vs
actual), the same one tzero posts in the run thread. This is the only tzero command that needs
Redis: it reads REDIS_URL (default redis://127.0.0.1:6379) and TZERO_KEY_PREFIX (default tzero).

Options:
  --format md|json  Markdown (default) or JSON.
  --out FILE        Write to FILE instead of stdout.
  --schema          Print the JSON Schema of the JSON report and exit (no Redis needed).
  -h, --help        Show this help.

Exit status: 0 printed, 1 no such run or Redis unreachable, 2 usage error.`;

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

/** Runs one command; resolves to the exit code (0 ok, 1 invalid or unreadable runbooks, 2 usage error). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'lint': {
      if (wantsHelp(args)) return help(io, LINT_USAGE);
      const parsed = lintArgs(args);
      if (typeof parsed === 'string') return usage(io, parsed, LINT_USAGE);
      return lint(parsed.target ?? runbooksDir(io.env), parsed.monitors, io);
    }
    case 'schema':
      if (wantsHelp(args)) return help(io, SCHEMA_USAGE);
      if (args.length) return usage(io, 'schema takes no arguments', SCHEMA_USAGE);
      io.out(JSON.stringify((await import('./runbooks/json-schema.js')).runbookJsonSchema(), null, 2));
      return 0;
    case 'report': {
      if (wantsHelp(args)) return help(io, REPORT_USAGE);
      const parsed = reportArgs(args);
      if (typeof parsed === 'string') return usage(io, parsed, REPORT_USAGE);
      return (await import('./report/cli-report.js')).reportCommand(parsed, io);
    }
    case 'help':
    case '--help':
    case '-h':
      return help(io, USAGE);
    default:
      return usage(io, command ? `unknown command "${command}"` : 'no command given', USAGE);
  }
}

function help(io: CliIo, text: string): number {
  io.out(text);
  return 0;
}

function usage(io: CliIo, problem: string, text: string): number {
  io.err(`tzero: ${problem}\n\n${text}`);
  return 2;
}

/** `<run> [--format md|json] [--out FILE]` or `--schema`, or the problem with them. */
function reportArgs(args: string[]): { runId?: string; format: 'md' | 'json'; out?: string; schema: boolean } | string {
  const out: { runId?: string; format: 'md' | 'json'; out?: string; schema: boolean } = { format: 'md', schema: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]);
    if (arg === '--schema') out.schema = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const v = value();
      if (v !== 'md' && v !== 'json') return '--format takes md or json';
      out.format = v;
    } else if (arg === '--out' || arg.startsWith('--out=')) {
      const v = value();
      if (!v) return '--out needs a file';
      out.out = v;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const guess = closest(arg, ['--format', '--out', '--schema', '--help']);
      return `unknown option ${arg}${guess ? `; did you mean ${guess}?` : ''}`;
    } else if (out.runId !== undefined) return 'report takes one run id';
    else out.runId = arg;
  }
  if (!out.schema && !out.runId) return 'report needs a run id';
  return out;
}

/** `[dir|file] [--monitors FILE]`, or the problem with them. */
function lintArgs(args: string[]): { target?: string; monitors?: string } | string {
  const out: { target?: string; monitors?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--monitors' || arg.startsWith('--monitors=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!value) return '--monitors needs a file';
      out.monitors = value;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const guess = closest(arg, ['--monitors', '--help']);
      return `unknown option ${arg}${guess ? `; did you mean ${guess}?` : ''}`;
    } else if (out.target !== undefined) {
      return 'lint takes at most one directory or file';
    } else {
      out.target = arg;
    }
  }
  return out;
}

async function lint(target: string, monitorsArg: string | undefined, io: CliIo): Promise<number> {
  const monitorsFile = monitorsArg ?? (io.env.MONITORS_FILE || './monitors.yml');
  // An explicit file must exist; the default may be absent (monitoring is opt-in).
  const explicit = monitorsArg !== undefined || !!io.env.MONITORS_FILE;
  const monitorProblems = await lintMonitors(monitorsFile, explicit);
  if (monitorProblems === null) {
    io.err(`tzero lint: cannot read monitors file ${monitorsFile}`);
    return 1;
  }
  let result: LoadedDir;
  try {
    result = (await stat(target)).isDirectory() ? await loadRunbooks(target, { monitorsFile }) : await lintFile(target, monitorsFile);
  } catch (err) {
    io.err(`tzero lint: cannot read ${target}: ${(err as Error).message}`);
    return 1;
  }
  for (const line of monitorProblems) io.out(line);
  for (const { problems } of result.invalid) for (const line of problems) io.out(line);
  const problems = result.invalid.reduce((n, i) => n + i.problems.length, 0);
  const total = result.runbooks.size + result.invalid.length;
  io.out(
    `${target}: ${count(total, 'runbook')} checked, ${result.runbooks.size} valid` +
      (problems ? `, ${result.invalid.length} invalid (${count(problems, 'problem')})` : ''),
  );
  if (monitorProblems.length) io.out(`${monitorsFile}: invalid (${count(monitorProblems.length, 'problem')})`);
  if (total === 0) {
    io.err(`tzero lint: no *.yml or *.yaml files in ${target}`);
    return 1;
  }
  return problems || monitorProblems.length ? 1 : 0;
}

/** The monitors file's problems ([] when valid or absent by default); null when it cannot be read. */
async function lintMonitors(file: string, explicit: boolean): Promise<string[] | null> {
  try {
    await access(file);
  } catch {
    return explicit ? null : [];
  }
  // Loaded only when there is a monitors file: its schema pulls in cron and HTTP checks.
  const { InvalidMonitorsError, parseMonitors } = await import('./monitors/load.js');
  try {
    parseMonitors(await readFile(file, 'utf8'), file);
    return [];
  } catch (err) {
    if (err instanceof InvalidMonitorsError) return err.problems;
    return null;
  }
}

async function lintFile(file: string, monitorsFile: string): Promise<LoadedDir> {
  try {
    const loaded = await loadRunbookFile(file, { monitorsFile });
    return { runbooks: new Map([[loaded.runbook.name, loaded]]), invalid: [] };
  } catch (err) {
    if (!(err instanceof InvalidRunbookError)) throw err;
    return { runbooks: new Map(), invalid: [{ file, problems: err.problems }] };
  }
}
