// `tzero` command line: offline tools that need neither Slack nor Redis.
//   tzero lint [dir|file]   validate runbooks (default: RUNBOOKS_DIR or ./runbooks)
//   tzero schema            print the runbook JSON Schema
//   tzero help
import { stat } from 'node:fs/promises';
import { runbooksDir } from './config.js';
import { InvalidRunbookError } from './errors.js';
import { runbookJsonSchema } from './runbooks/json-schema.js';
import { monitorEnvNames } from './monitors/env-names.js';
import { loadRunbookFile, loadRunbooks, type LoadedDir, type LoadOptions } from './runbooks/load.js';
import { count } from './runbooks/validate.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: tzero <command>

Commands:
  lint [dir|file]  Validate runbooks offline (default: $RUNBOOKS_DIR or ./runbooks).
                   Prints file:line:col field.path: message per problem; exit 1 if any.
  schema           Print the runbook JSON Schema (for editor autocompletion).
  help             Show this help.`;

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

/** Runs one command; resolves to the exit code (0 ok, 1 invalid or unreadable runbooks, 2 usage error). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'lint':
      if (args.length > 1) return usage(io, 'lint takes at most one directory or file');
      return lint(args[0] ?? runbooksDir(io.env), io);
    case 'schema':
      if (args.length) return usage(io, 'schema takes no arguments');
      io.out(JSON.stringify(runbookJsonSchema(), null, 2));
      return 0;
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    default:
      return usage(io, command ? `unknown command "${command}"` : 'no command given');
  }
}

function usage(io: CliIo, problem: string): number {
  io.err(`tzero: ${problem}\n\n${USAGE}`);
  return 2;
}

async function lint(target: string, io: CliIo): Promise<number> {
  let result: LoadedDir;
  // The monitors' url_env variables are tzero's too: a runbook may not declare them as secrets.
  const options = { reservedEnv: await monitorEnvNames(io.env.MONITORS_FILE || './monitors.yml') };
  try {
    result = (await stat(target)).isDirectory() ? await loadRunbooks(target, options) : await lintFile(target, options);
  } catch (err) {
    io.err(`tzero lint: cannot read ${target}: ${(err as Error).message}`);
    return 1;
  }
  for (const { problems } of result.invalid) for (const line of problems) io.out(line);
  const problems = result.invalid.reduce((n, i) => n + i.problems.length, 0);
  const total = result.runbooks.size + result.invalid.length;
  io.out(
    `${target}: ${count(total, 'runbook')} checked, ${result.runbooks.size} valid` +
      (problems ? `, ${result.invalid.length} invalid (${count(problems, 'problem')})` : ''),
  );
  if (total === 0) {
    io.err(`tzero lint: no *.yml or *.yaml files in ${target}`);
    return 1;
  }
  return problems ? 1 : 0;
}

async function lintFile(file: string, options: LoadOptions): Promise<LoadedDir> {
  try {
    const loaded = await loadRunbookFile(file, options);
    return { runbooks: new Map([[loaded.runbook.name, loaded]]), invalid: [] };
  } catch (err) {
    if (!(err instanceof InvalidRunbookError)) throw err;
    return { runbooks: new Map(), invalid: [{ file, problems: err.problems }] };
  }
}
