import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { emptyClusterState } from '../../../../lambdas/core/events/index.ts';
import { batch } from '../events/fixtures.ts';

/** The alerts the seeds raise when Worthy News arrives first: a new alert, then an update. */
export const seedAlerts = (): [Alert, Alert] =>
  batch(emptyClusterState(), ['seedWorthy', 'seedSecond'], new Date('2024-11-29T18:00:00Z'))
    .alerts as [Alert, Alert];
