/**
 * The pipeline's side of the analyst's tools: the classifier reads the mutes from
 * state/mutes.json and writes the HTML report to reports/latest.html after the alerts it sends.
 */
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import type { Item } from '../../../lambdas/core/common/types.ts';
import { withMute, withoutMute } from '../../../lambdas/core/events/index.ts';
import { classifyAndAlert } from '../../../lambdas/pipeline/classify-and-alert.ts';
import { LATEST_REPORT_KEY, MUTES_KEY } from '../../../lambdas/pipeline/keys.ts';
import { readMutes, updateMutes } from '../../../lambdas/pipeline/mutes-doc.ts';
import { readRecentEvents } from '../../../lambdas/pipeline/report.ts';
import { defaultRuleSet, seedItems } from '../../helpers/fixtures.ts';
import { RecordingPublisher } from '../../helpers/recording-publisher.ts';

const NOW = new Date('2024-11-29T18:00:00Z');

const setup = (writeReport = true) => {
  const store = new MemoryObjectStore();
  const publisher = new RecordingPublisher();
  const errors: string[] = [];
  const deps = {
    store,
    publisher,
    clock: { now: () => NOW },
    logger: { ...silentLogger, error: (message: string) => errors.push(message) },
    rules: defaultRuleSet(),
    writeReport,
  };
  const [worthy, second] = seedItems() as [Item, Item];
  return { store, publisher, deps, worthy, second, errors };
};

describe('Function: classifyAndAlert, for the analyst', () => {
  it('writes reports/latest.html after sending alerts, with the event on it', async () => {
    // Prepare
    const { store, deps, worthy } = setup();

    // Act
    const { alerts } = await classifyAndAlert(deps, [worthy]);

    // Assess
    const page = await store.get(LATEST_REPORT_KEY);
    expect(alerts).toHaveLength(1);
    expect(page?.body).toMatch(/^<!doctype html>/);
    expect(page?.body).toContain(`<section class="event" id="${alerts[0]?.eventId}"`);
    expect(page?.body.match(/<circle class="marker"/g)).toHaveLength(1);
  });

  it('writes no report unless asked (the CLI and replays)', async () => {
    // Prepare
    const { store, deps, worthy } = setup(false);

    // Act
    await classifyAndAlert(deps, [worthy]);

    // Assess
    expect(await store.list('reports/')).toEqual([]);
  });

  it('sends no update for a muted event, and sends again once it is unmuted', async () => {
    // Prepare: the event is alerted, then muted from the CLI
    const { store, publisher, deps, worthy, second } = setup();
    const [opened] = (await classifyAndAlert(deps, [worthy])).alerts;
    const eventId = opened?.eventId as string;
    await updateMutes(store, (list) =>
      withMute(list, { eventId, until: '2024-11-30T18:00:00Z', at: NOW.toISOString() }, NOW)
    );

    // Act: the second outlet's report would corroborate it (an update)
    const muted = await classifyAndAlert(deps, [second]);

    // Assess: recorded on the event, not sent
    expect(muted.alerts).toEqual([]);
    expect(publisher.sent).toHaveLength(1);
    const { events, mutes } = await readRecentEvents(store, { now: NOW });
    expect(events[0]?.sources).toHaveLength(2);
    expect(events[0]?.mute?.eventId).toBe(eventId);
    expect(mutes).toHaveLength(1);

    // Act: unmuted
    await updateMutes(store, (list) => withoutMute(list, eventId, NOW));

    // Assess
    expect((await readMutes(store)).mutes).toEqual([]);
  });

  it('mutes nothing when state/mutes.json is damaged, and says so', async () => {
    // Prepare
    const { store, deps, worthy, errors } = setup();
    await store.put(MUTES_KEY, '{"version": 1, "mutes": [');

    // Act
    const { alerts } = await classifyAndAlert(deps, [worthy]);

    // Assess
    expect(alerts).toHaveLength(1);
    expect(errors.join('\n')).toContain('state/mutes.json cannot be read');
  });
});
