import { readFileSync } from 'node:fs';
import type { Classification, Item } from '../../../../lambdas/core/common/types.ts';
import type { ClusterState } from '../../../../lambdas/core/events/cluster.ts';

export interface Report {
  readonly item: Item;
  readonly result: Classification;
}

export type ReportName =
  | 'seedWorthy'
  | 'seedSecond'
  | 'wireCopy'
  | 'tollRises'
  | 'newCity'
  | 'weekLater'
  | 'otherCountry'
  | 'teaser';

const raw = JSON.parse(
  readFileSync(new URL('../../../fixtures/seeds/cluster-reports.json', import.meta.url), 'utf8')
) as Record<ReportName, Report>;

/** A fresh copy of a fixture report (items built from shared/seeds, classifications by hand). */
export const report = (name: ReportName): Report => structuredClone(raw[name]);

/** The state as the pipeline would store it and read it back after a restart. */
export const roundTrip = (state: ClusterState): ClusterState => JSON.parse(JSON.stringify(state));

/** Freezes a value deeply, so any mutation by the code under test throws. */
export const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};
