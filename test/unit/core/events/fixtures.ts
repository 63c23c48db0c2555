import { readFileSync } from 'node:fs';
import type { Alert, Classification, Item } from '../../../../lambdas/core/common/types.ts';
import { type AttachResult, attach } from '../../../../lambdas/core/events/attach.ts';
import type { ClusterOptions } from '../../../../lambdas/core/events/cluster-options.ts';
import type { ClusterState } from '../../../../lambdas/core/events/event-state.ts';

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

/** A fresh copy of a fixture report (items built from real reports, classifications by hand). */
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

export const HOUR = 3_600_000;
export const at = (iso: string) => new Date(iso);

/** Attaches reports one after another with one `now`, as one poll's batch does. */
export const batch = (
  state: ClusterState,
  names: readonly ReportName[],
  now: Date,
  options?: ClusterOptions
) => {
  const alerts: Alert[] = [];
  const results: AttachResult[] = [];
  let current = state;
  for (const name of names) {
    const { item, result } = report(name);
    const attached = attach(current, item, result, now, options);
    current = attached.state;
    results.push(attached);
    if (attached.alert) alerts.push(attached.alert);
  }
  return { state: current, alerts, results };
};

export const kinds = (alerts: readonly Alert[]) => alerts.map((a) => a.kind);
