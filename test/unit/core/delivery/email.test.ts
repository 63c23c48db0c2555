import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_SOURCES } from '../../../../lambdas/core/delivery/email.ts';
import { renderAlert } from '../../../../lambdas/core/delivery/render.ts';
import { seedAlerts } from './fixtures.ts';

describe('Function: renderEmail', () => {
  it('lists at most EMAIL_MAX_SOURCES sources and says how many more there are', () => {
    // Prepare
    const [, update] = seedAlerts();
    const source = update.sources[0];
    if (!source) throw new Error('fixture has a source');
    const sources = Array.from({ length: EMAIL_MAX_SOURCES + 7 }, (_, i) => ({
      ...source,
      outlet: `Outlet ${i + 1}`,
      itemId: `item-${i + 1}`,
    }));

    // Act
    const { email } = renderAlert({ ...update, sources });

    // Assess
    expect(email).toContain(`Sources (${EMAIL_MAX_SOURCES + 7}):`);
    expect(email).toContain(`  ${EMAIL_MAX_SOURCES}. Outlet ${EMAIL_MAX_SOURCES},`);
    expect(email).not.toContain(`Outlet ${EMAIL_MAX_SOURCES + 1},`);
    expect(email).toContain('  ... and 7 more in the alert record');
  });
});
