import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export interface ProcessRun {
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs a process to completion with stdin from a file and stdout to a file (no pipe through
 * this process, so the parent's own work does not slow the child), timing spawn to exit.
 */
export const timeProcess = (
  command: string,
  args: readonly string[],
  options: { stdinFile?: string; stdoutFile?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}
): Promise<ProcessRun> => {
  const stdin = options.stdinFile ? openSync(options.stdinFile, 'r') : 'ignore';
  const stdout = options.stdoutFile ? openSync(options.stdoutFile, 'w') : 'ignore';
  const closeAll = () => {
    if (typeof stdin === 'number') closeSync(stdin);
    if (typeof stdout === 'number') closeSync(stdout);
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: [stdin, stdout, 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    child.on('error', (err) => {
      closeAll();
      reject(err);
    });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      closeAll();
      resolve({ ms, code, stderr });
    });
  });
};

/** Milliseconds taken by `work`, with high resolution. */
export const timeIt = async (work: () => unknown): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};
