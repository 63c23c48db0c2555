import { describe, expect, it } from 'vitest';
import { stripDateline } from '../../../../lambdas/core/events/report.ts';

describe('Function: stripDateline', () => {
  it.each([
    ['DAMASCUS/JERUSALEM (Worthy News) – Syrian opposition groups', 'Syrian opposition groups'],
    ['KYIV, Ukraine (AP) — Russian drones struck', 'Russian drones struck'],
    ['BEIRUT, Nov 29 (Reuters) - Israeli jets hit', 'Israeli jets hit'],
    ['ALEPPO, Syria — Insurgents pushed', 'Insurgents pushed'],
    ['US forces strike militia sites - officials', 'US forces strike militia sites - officials'],
    ['Syrian insurgents launched an offensive', 'Syrian insurgents launched an offensive'],
  ])('%s', (input, expected) => {
    // Act + Assess
    expect(stripDateline(input)).toBe(expected);
  });
});
