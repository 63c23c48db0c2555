/** Reads a required environment variable; fails at cold start with a message naming it. */
export const getRequiredEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(
      `${name} environment variable is not set: the stack sets it; for a local run, export ${name}`
    );
  }
  return value;
};

/** Reads an optional positive integer from the environment, or the fallback when unset. */
export const getIntEnv = (
  name: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env
): number => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  }
  return value;
};
