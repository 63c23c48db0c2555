import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The same link `npx newsalert` runs after `npm ci`. */
const BIN = fileURLToPath(new URL('../../node_modules/.bin/newsalert', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines (only with --json). */
  lines(): Array<Record<string, unknown>>;
}

/** Runs `newsalert ...args` as a separate process, as a user would. */
export const runCli = (
  args: readonly string[],
  options: {
    input?: string;
    cwd?: string;
    timeoutMs?: number;
    /** Variables added to the environment. */
    env?: Record<string, string>;
  } = {}
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(BIN, [...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        lines: () =>
          stdout
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
      });
    });
    child.stdin.end(options.input ?? '');
  });
