/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no font, nothing
 * fetched: its Content-Security-Policy forbids any request) with a timeline of the events by
 * severity, a world map with each event at its place, and each event's facts, alerts and
 * sources. Every text is escaped; links are http(s) only. Pure: the map's outline and
 * projection and the time are passed in.
 */
import { visibleLink } from '../common/links.ts';
import { PLACE_COORDINATES } from '../common/place-coordinates.ts';
import { isCountry, placeKey } from '../common/places.ts';
import { oneLine } from '../common/plain-text.ts';
import { SEVERITIES, type Severity } from '../common/types.ts';
import { formatTime, mutedLine } from '../delivery/email.ts';
import { casualtyText, cleanList } from '../delivery/wording.ts';
import type { EventView } from './event-views.ts';

/** A world map drawn beforehand: its size, its land as one SVG path, and its projection. */
export interface WorldMap {
  readonly width: number;
  readonly height: number;
  /** The `d` of the land's path. */
  readonly land: string;
  /** [x, y] on the map of a longitude and latitude; undefined when it is not on the map. */
  readonly project: (lon: number, lat: number) => readonly [number, number] | undefined;
}

const COORDINATES = new Map(PLACE_COORDINATES.map(([name, at]) => [placeKey(name), at]));

/**
 * Where to put an event: its most specific place the gazetteer has coordinates for (a city
 * before its country). `approximate` when only its country was found.
 */
export const eventLocation = (
  places: readonly string[]
): { place: string; at: readonly [number, number]; approximate: boolean } | undefined => {
  let country: { place: string; at: readonly [number, number] } | undefined;
  for (const place of places) {
    const at = COORDINATES.get(placeKey(place));
    if (!at) continue;
    if (!isCountry(place)) return { place, at, approximate: false };
    country ??= { place, at };
  }
  return country ? { ...country, approximate: places.some((p) => !isCountry(p)) } : undefined;
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Text or attribute value, escaped for HTML. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const text = (value: string): string => escapeHtml(oneLine(value));

const COLOURS: Record<Severity, string> = {
  none: '#9aa0a6',
  low: '#4e9a06',
  medium: '#c4a000',
  high: '#ce5c00',
  critical: '#a40000',
};

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header,main{max-width:1100px;margin:0 auto;padding:12px 20px}
h1{font-size:20px;margin:8px 0 2px}h2{font-size:16px;margin:20px 0 8px}
.muted-note,.meta{color:#555}
svg{display:block;width:100%;height:auto;background:#fff;border:1px solid #ddd}
.land{fill:#dcdcd6;stroke:#b9b9b2;stroke-width:.4}
.marker{stroke:#fff;stroke-width:1.2;fill-opacity:.9}
.axis{font-size:10px;fill:#555}.row-label{font-size:11px;fill:#1d1d1f}
.event{background:#fff;border:1px solid #ddd;border-left:6px solid var(--sev);margin:10px 0;padding:8px 14px}
.event h3{font-size:15px;margin:4px 0}.sev{font-weight:700;color:var(--sev);text-transform:uppercase}
.badge{display:inline-block;background:#eee;border-radius:3px;padding:0 6px;margin-left:6px;font-size:12px}
ol,ul{margin:4px 0 4px 20px;padding:0}li{margin:2px 0}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:50%}
`;

const TIMELINE_WIDTH = 1000;
const ROW = 18;
const LABEL = 250;

const timeline = (views: readonly EventView[]): string => {
  if (views.length === 0) return '';
  const starts = views.map((v) => Date.parse(v.firstSeen));
  const ends = views.map((v) => Date.parse(v.lastSeen));
  const from = Math.min(...starts);
  const to = Math.max(...ends, from + 3_600_000);
  const scale = (t: number) => LABEL + ((t - from) / (to - from)) * (TIMELINE_WIDTH - LABEL - 10);
  const height = views.length * ROW + 30;
  const rows = views.map((v, i) => {
    const y = 20 + i * ROW;
    const x1 = scale(Date.parse(v.firstSeen));
    const x2 = Math.max(scale(Date.parse(v.lastSeen)), x1 + 4);
    const label = oneLine(v.headline);
    const short = label.length > 40 ? `${label.slice(0, 39)}…` : label;
    return (
      `<a href="#${escapeHtml(v.id)}"><g class="timeline-row" data-event="${escapeHtml(v.id)}">` +
      `<title>${text(`${v.severity}: ${label}`)}</title>` +
      `<text class="row-label" x="4" y="${y + 12}">${escapeHtml(short)}</text>` +
      `<rect x="${x1.toFixed(1)}" y="${y + 3}" width="${(x2 - x1).toFixed(1)}" height="${ROW - 6}" rx="3" fill="${COLOURS[v.severity]}"/></g></a>`
    );
  });
  const axis =
    `<text class="axis" x="${LABEL}" y="12">${escapeHtml(formatTime(new Date(from).toISOString()))}</text>` +
    `<text class="axis" x="${TIMELINE_WIDTH - 10}" y="12" text-anchor="end">${escapeHtml(formatTime(new Date(to).toISOString()))}</text>`;
  return `<svg id="timeline" viewBox="0 0 ${TIMELINE_WIDTH} ${height}" role="img" aria-label="Timeline of the events">${axis}${rows.join('')}</svg>`;
};

const mapSvg = (views: readonly EventView[], map: WorldMap): { svg: string; unplaced: number } => {
  let unplaced = 0;
  // The least severe first, so the most severe are drawn on top.
  const markers = [...views].reverse().flatMap((v) => {
    const location = eventLocation(v.places);
    const xy = location ? map.project(location.at[0], location.at[1]) : undefined;
    if (!location || !xy) {
      unplaced += 1;
      return [];
    }
    const r = 4 + SEVERITIES.indexOf(v.severity) * 1.5;
    const where = `${location.place}${location.approximate ? ' (country)' : ''}`;
    return [
      `<a href="#${escapeHtml(v.id)}"><circle class="marker" data-event="${escapeHtml(v.id)}" cx="${xy[0].toFixed(1)}" cy="${xy[1].toFixed(1)}" r="${r}" fill="${COLOURS[v.severity]}">` +
        `<title>${text(`${v.severity}: ${v.headline} (${where})`)}</title></circle></a>`,
    ];
  });
  const svg =
    `<svg id="map" viewBox="0 0 ${map.width} ${map.height}" role="img" aria-label="World map of the events">` +
    `<path class="land" d="${escapeHtml(map.land)}"/>${markers.join('')}</svg>`;
  return { svg, unplaced };
};

const eventSection = (v: EventView): string => {
  const toll = casualtyText(v.casualties);
  const places = cleanList(v.places).join(', ') || 'not stated';
  const alerts = v.alerts
    .map((a) => {
      const reasons = a.reasons.length > 0 ? `: ${a.reasons.map(oneLine).join('; ')}` : '';
      const muted = a.muted ? ` <em>${text(mutedLine(a.muted))}</em>` : '';
      return `<li>${text(a.kind)} ${text(a.severity)}, ${text(formatTime(a.lastSeen))}${text(reasons)}${muted}</li>`;
    })
    .join('');
  const sources = v.sources
    .map((s) => {
      const link = visibleLink(s.link);
      const title = text(s.title) || '(untitled)';
      const titled = link
        ? `<a href="${escapeHtml(link)}" rel="noopener noreferrer">${title}</a>`
        : title;
      const copy = s.copyOf !== undefined ? ' (copy of a wire story)' : '';
      return `<li>${text(s.outlet)}, ${text(formatTime(s.time))}${copy}: ${titled}</li>`;
    })
    .join('');
  const mute = v.mute
    ? `<span class="badge">muted until ${text(formatTime(v.mute.until))}${v.mute.note ? `: ${text(v.mute.note)}` : ''}</span>`
    : '';
  return (
    `<section class="event" id="${escapeHtml(v.id)}" data-event="${escapeHtml(v.id)}" style="--sev:${COLOURS[v.severity]}">` +
    `<h3><span class="sev">${text(v.severity)}</span> ${text(v.headline)}${mute}</h3>` +
    `<div class="meta">${text(places)}${toll ? ` · ${text(toll)}` : ''} · ${text(formatTime(v.firstSeen))} to ${text(formatTime(v.lastSeen))} · ${text(v.status)} · ${text(v.id)}</div>` +
    `<h4>Alerts (${v.alerts.length})</h4><ul>${alerts || '<li>none recorded</li>'}</ul>` +
    `<h4>Sources (${v.sources.length})</h4><ol>${sources}</ol></section>`
  );
};

/** The whole page. */
export const renderReportHtml = (
  views: readonly EventView[],
  map: WorldMap,
  now: Date,
  title = 'newsalert: recent events'
): string => {
  const { svg, unplaced } = mapSvg(views, map);
  const legend = SEVERITIES.filter((s) => s !== 'none')
    .map((s) => `<span><i style="background:${COLOURS[s]}"></i>${s}</span>`)
    .join('');
  const count = `${views.length} event${views.length === 1 ? '' : 's'}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(title)}</h1>
<div class="meta">${count}, as of ${escapeHtml(formatTime(now.toISOString()))}</div>
<div class="legend">${legend}</div></header>
<main>
<h2>Timeline</h2>${views.length > 0 ? timeline(views) : '<p>No events.</p>'}
<h2>Map</h2>${svg}${unplaced > 0 ? `<p class="muted-note">${unplaced} event${unplaced === 1 ? '' : 's'} without a known place ${unplaced === 1 ? 'is' : 'are'} not on the map.</p>` : ''}
<h2>Events</h2>${views.map(eventSection).join('\n')}
</main></body></html>
`;
};
