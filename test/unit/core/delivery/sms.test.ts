import { describe, expect, it } from 'vitest';
import { shortReasons } from '../../../../lambdas/core/delivery/sms.ts';

describe('Function: shortReasons', () => {
  it.each([
    [
      ['first independent corroboration: Second Outlet confirms Worthy News'],
      'confirmed by Second Outlet',
    ],
    [['new places: Hama, Homs'], 'now also Hama, Homs'],
    [['new category: city-breached'], 'now city breached'],
    [
      ['killed now reported up to 514 (was 200), past 500', 'severity up from high to critical'],
      '',
    ],
    [
      [
        'first independent corroboration: Monitor Wire confirms Second Outlet',
        'new place: Idlib',
        'new category: mass-casualties',
      ],
      'confirmed by Monitor Wire; now also Idlib',
    ],
  ])('%j', (reasons, expected) => {
    // Act + Assess
    expect(shortReasons(reasons)).toBe(expected);
  });
});
