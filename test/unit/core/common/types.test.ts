import { describe, expect, it } from 'vitest';
import { SEVERITIES, severityRank } from '../../../../lambdas/core/common/types.ts';

describe('severityRank', () => {
  it('orders severities from none to critical', () => {
    // Act
    const ranks = SEVERITIES.map(severityRank);

    // Assess
    expect(ranks).toEqual([0, 1, 2, 3, 4]);
    expect(severityRank('high')).toBeGreaterThan(severityRank('medium'));
  });
});
