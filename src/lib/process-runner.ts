// Runs a command in its own process group, streams its output, and on timeout or abort kills
// the whole group (children and grandchildren: `sleep 30 &` must not outlive a cancelled step).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

export interface RunProcessOptions {
  /** A string is run by `/bin/sh -c`; a list is an argv run without a shell. */
  command: string | string[];
  /** The complete environment of the process (nothing is inherited implicitly). */
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?(chunk: string): void;
  /** stdout alone (shell `outputs:` parses it); stderr never reaches it. */
  onStdout?(chunk: string): void;
  /** Between SIGTERM and SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
  /** Lines of output kept for evidence. Default 20. */
  tailLines?: number;
}

export interface ProcessResult {
  /** null when killed by a signal or never started. */
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the process could not be started (ENOENT, EACCES…). */
  spawnError?: string;
  tail: string[];
  durationMs: number;
}

/** Keep at most this much output in memory for the tail; the full stream goes to onOutput. */
const TAIL_BYTES = 16_384;
/** After the main process exits, wait this long for pipes held by leftover children. */
const DRAIN_MS = 500;

/** Variables a command needs to behave normally; the bot's own config and secrets are not passed. */
export const BASE_ENV_NAMES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

export function baseEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASE_ENV_NAMES) if (source[name] !== undefined) env[name] = source[name]!;
  return env;
}

/** Process groups started here and not yet reaped: none may outlive tzero (see killAllGroups). */
const liveGroups = new Set<number>();

/**
 * Signals every process group this process started and has not reaped. Synchronous, so it can
 * run in an 'exit' handler: a detached group is not killed with its parent otherwise.
 */
export function killAllGroups(signal: NodeJS.Signals = 'SIGKILL'): number {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      liveGroups.delete(pgid); // already gone
    }
  }
  return liveGroups.size;
}

export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = Date.now();
  const grace = options.killGraceMs ?? 2000;
  let tailText = '';
  const keep = (chunk: string) => {
    tailText = (tailText + chunk).slice(-TAIL_BYTES);
    options.onOutput?.(chunk);
  };
  const finish = (partial: Omit<ProcessResult, 'tail' | 'durationMs'>): ProcessResult => {
    const lines = tailText.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { ...partial, tail: lines.slice(-(options.tailLines ?? 20)), durationMs: Date.now() - started };
  };

  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve(finish({ exitCode: null, exitSignal: null, timedOut: false, aborted: true }));
      return;
    }
    const [file, args] = typeof options.command === 'string' ? ['/bin/sh', ['-c', options.command]] : [options.command[0]!, options.command.slice(1)];
    const child = spawn(file, args, {
      env: options.env,
      cwd: options.cwd,
      detached: true, // its own process group, so -pid reaches every descendant
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid;
    if (pgid) liveGroups.add(pgid);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      options.onStdout?.(chunk);
      keep(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', keep);

    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const terminate = () => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), grace);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      terminate();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let settled = false;
    const settle = (result: ProcessResult) => {
      if (settled) return;
      settled = true;
      // A group killed by us is reaped (reapGroup); one whose leader exited on its own may leave
      // `cmd &` behind, which is the command's business until tzero exits.
      if (pgid && (timedOut || aborted)) liveGroups.delete(pgid);
      else if (pgid && !groupAlive(pgid)) liveGroups.delete(pgid);
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.once('error', (err) => {
      clearTimeout(killTimer);
      settle(finish({ exitCode: null, exitSignal: null, timedOut, aborted, spawnError: err.message }));
    });
    child.once('exit', (code, exitSignal) => {
      let finishing = false;
      const done = async () => {
        if (finishing) return;
        finishing = true;
        // After a kill, report only once the whole group is gone (or SIGKILLed after the grace).
        if (timedOut || aborted) await reapGroup(child.pid!, grace, killGroup);
        clearTimeout(killTimer);
        settle(finish({ exitCode: code, exitSignal, timedOut, aborted }));
      };
      // A background child may still hold the pipes: take what is there, then stop reading.
      if (child.stdout.readableEnded && child.stderr.readableEnded) return void done();
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        void done();
      }, DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drain);
        void done();
      });
    });
  });
}

async function reapGroup(pid: number, graceMs: number, killGroup: (sig: NodeJS.Signals) => void): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  killGroup('SIGKILL');
}

/**
 * Does any live process remain in the group? On Linux, zombies (killed children whose new
 * parent has not reaped them yet) do not count, so a dead group is not waited on for the grace.
 */
function groupAlive(pgid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
