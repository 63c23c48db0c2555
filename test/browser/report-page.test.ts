/// <reference lib="dom" />
/**
 * The HTML report in a real headless browser (Debian's chromium, driven through puppeteer-core):
 * it renders, shows every event on the map, the timeline and the list, and asks for nothing
 * but the page itself. Skipped, saying why, only where chromium is not installed outside CI
 * (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, launch } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../lambdas/core/common/types.ts';
import { attach } from '../../lambdas/core/events/attach.ts';
import { emptyClusterState } from '../../lambdas/core/events/event-state.ts';
import { eventViews } from '../../lambdas/core/report/event-views.ts';
import { renderReportHtml } from '../../lambdas/core/report/html.ts';
import { worldMap } from '../../lambdas/pipeline/world-map.ts';
import { type ReportName, report } from '../unit/core/events/fixtures.ts';

const chromiumPath = (): string | undefined => {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
        encoding: 'utf8',
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
};

const CHROMIUM = chromiumPath();
const RUN = CHROMIUM !== undefined || process.env.CI !== undefined;
if (!RUN) {
  process.stderr.write(
    'report-page.test.ts: skipped: no chromium on this machine (apt-get install -y chromium); CI installs it and runs this test\n'
  );
}

/** A page with three events: Aleppo (critical), Kharkiv (high), one without a known place. */
const pageHtml = (): { html: string; events: number } => {
  let state = emptyClusterState();
  const alerts: Alert[] = [];
  const names: ReportName[] = ['seedWorthy', 'seedSecond', 'otherCountry', 'teaser'];
  for (const name of names) {
    const { item, result } = report(name);
    const escalating =
      name === 'teaser'
        ? { ...result, escalation: true, severity: 'low' as const, places: ['Nowhere Island'] }
        : result;
    const attached = attach(state, item, escalating, new Date('2024-11-29T19:00:00Z'));
    state = attached.state;
    if (attached.alert) alerts.push(attached.alert);
  }
  const views = eventViews(state, alerts, [], { now: new Date('2024-11-29T20:00:00Z') });
  return {
    html: renderReportHtml(views, worldMap(), new Date('2024-11-29T20:00:00Z')),
    events: views.length,
  };
};

describe.runIf(RUN)('HTML report in headless chromium', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!CHROMIUM)
      throw new Error(
        'chromium is not installed: CI must install it (apt-get install -y chromium)'
      );
    dir = await mkdtemp(join(tmpdir(), 'newsalert-report-'));
    browser = await launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in a container has no user namespace for chromium's sandbox.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders every event and requests nothing but the page', async () => {
    // Prepare
    const { html, events } = pageHtml();
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      // Only the page itself may load; anything else would be an outside request.
      if (request.url() === url) void request.continue();
      else void request.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    // Act
    await page.goto(url, { waitUntil: 'load' });
    const shown = await page.evaluate(() => ({
      title: document.title,
      markers: document.querySelectorAll('#map circle.marker').length,
      rows: document.querySelectorAll('#timeline .timeline-row').length,
      sections: document.querySelectorAll('section.event').length,
      landDrawn:
        (document.querySelector('#map path.land')?.getBoundingClientRect().width ?? 0) > 100,
      links: [...document.querySelectorAll('section.event a')].map(
        (a) => (a as HTMLAnchorElement).href
      ),
      note: document.querySelector('.muted-note')?.textContent ?? '',
    }));

    // Assess
    expect(events).toBe(3);
    expect(shown.title).toBe('newsalert: recent events');
    expect(shown.sections).toBe(events);
    expect(shown.rows).toBe(events);
    // The event without a known place is listed, said to be off the map.
    expect(shown.markers).toBe(events - 1);
    expect(shown.note).toContain('1 event without a known place');
    expect(shown.landDrawn).toBe(true);
    expect(shown.links.length).toBeGreaterThan(0);
    expect(shown.links.every((href) => /^https?:\/\//.test(href))).toBe(true);
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('would see an outside request (the check above can fail)', async () => {
    // Prepare: the page without its Content-Security-Policy, with an image from another host
    const html = pageHtml()
      .html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</main>', '<img src="http://outside.invalid/pixel.png" alt=""></main>');
    const file = join(dir, 'leaky.html');
    await writeFile(file, html);
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      void (request.url().startsWith('file:') ? request.continue() : request.abort());
    });

    // Act
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // Assess
    expect(requests).toContain('http://outside.invalid/pixel.png');
    await page.close();
  });
});
