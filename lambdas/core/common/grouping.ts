/**
 * The grouping settings a rule file may give (its `grouping` section) and what each must be: one
 * table for the rule file's validation (core/rules) and the events room's options (core/events),
 * so what `rules check` passes is what the events room accepts.
 */

/** The numeric settings, each with its test and the words an error gives for it. */
export const GROUPING_NUMBERS = [
  ['windowHours', (n: number) => n > 0, 'a number of hours above 0'],
  ['retainHours', (n: number) => n >= 0, 'a number of hours, 0 or more'],
  ['joinThreshold', (n: number) => n > 0 && n <= 1, 'a number above 0 and at most 1'],
  ['maxAgeHours', (n: number) => n > 0, 'a number of hours above 0'],
  ['smsUpdatesPerHour', (n: number) => Number.isInteger(n) && n >= 0, 'a whole number, 0 or more'],
] as const;

export type GroupingNumber = (typeof GROUPING_NUMBERS)[number][0];

/** What is wrong with a grouping number (finite, in range), or undefined when it is fine. */
export const groupingNumberProblem = (key: GroupingNumber, value: unknown): string | undefined => {
  const [, ok, what] = GROUPING_NUMBERS.find(([k]) => k === key) ?? [];
  if (typeof value === 'number' && Number.isFinite(value) && ok?.(value)) return undefined;
  const got =
    value === undefined
      ? 'nothing'
      : typeof value === 'number'
        ? String(value)
        : JSON.stringify(value);
  return `${key} must be ${what}, got ${got}`;
};

/** What is wrong with a list of casualty steps, or undefined when it is fine. */
export const casualtyStepsProblem = (value: unknown): string | undefined =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0)
    ? undefined
    : `casualtySteps must be a list of numbers above 0, got ${JSON.stringify(value)}`;
