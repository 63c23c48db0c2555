import type { Logger } from '../ports.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Level[] = ['debug', 'info', 'warn', 'error'];

/**
 * A logger for local runs: one readable line per message on stderr (stdout is for results).
 * `json: true` writes structured JSON lines instead.
 */
export const stderrLogger = (
  options: { level?: Level; json?: boolean; write?: (line: string) => void } = {}
): Logger => {
  const min = LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log =
    (level: Level) =>
    (message: string, extra?: Record<string, unknown>): void => {
      if (LEVELS.indexOf(level) < min) return;
      if (options.json) {
        write(JSON.stringify({ level, message, ...extra }));
        return;
      }
      const details = extra
        ? Object.entries(extra)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ')
        : '';
      write(`${level === 'info' ? '' : `${level}: `}${message}${details ? ` (${details})` : ''}`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
};

/** A logger that drops everything: for tests and quiet runs. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
