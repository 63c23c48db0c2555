/** The events as a person reads them on a terminal: a list, or one event in full. Pure. */
import { visibleLink } from '../common/links.ts';
import { oneLine, truncate } from '../common/plain-text.ts';
import { formatTime, mutedLine } from '../delivery/email.ts';
import { casualtyText, cleanList } from '../delivery/wording.ts';
import type { Mute } from '../events/index.ts';
import type { EventView } from './event-views.ts';

const muteText = (mute: Mute): string =>
  `muted until ${formatTime(mute.until)}${mute.note ? ` (${oneLine(mute.note)})` : ''}`;

const facts = (view: EventView): string => {
  const toll = casualtyText(view.casualties);
  const places = cleanList(view.places).join(', ') || 'place not stated';
  return `${places}${toll ? `; ${toll}` : ''}`;
};

/** The list: one block of three lines per event, then the mutes in force. */
export const renderEventList = (views: readonly EventView[], mutes: readonly Mute[]): string => {
  const lines: string[] = [];
  if (views.length === 0) lines.push('No events.');
  for (const view of views) {
    const alerts = view.alerts.length;
    lines.push(
      `${view.severity.toUpperCase().padEnd(8)} ${view.id}  ${truncate(oneLine(view.headline), 100)}`
    );
    lines.push(`         ${facts(view)}`);
    lines.push(
      `         ${formatTime(view.firstSeen)} to ${formatTime(view.lastSeen)}, ${view.status}; ` +
        `${view.sources.length} source${view.sources.length === 1 ? '' : 's'}, ${alerts} alert${alerts === 1 ? '' : 's'}` +
        (view.mute ? `; ${muteText(view.mute)}` : '')
    );
  }
  lines.push('');
  if (mutes.length === 0) lines.push('No event is muted.');
  else {
    lines.push('Muted:');
    for (const mute of mutes) lines.push(`  ${oneLine(mute.eventId)}  ${muteText(mute)}`);
  }
  return `${lines.join('\n')}\n`;
};

/** One event in full: its facts, every alert sent about it, every source. */
export const renderEventDetail = (view: EventView): string => {
  const lines = [
    `Event ${view.id} (${view.status})`,
    oneLine(view.headline),
    '',
    `Severity:   ${view.severity}`,
    `Where:      ${cleanList(view.places).join(', ') || 'not stated'}`,
    `What:       ${cleanList(view.categories).join(', ') || 'escalation'}`,
    `How bad:    ${casualtyText(view.casualties) || 'no casualty figures reported'}`,
    `First seen: ${formatTime(view.firstSeen)}`,
    `Last seen:  ${formatTime(view.lastSeen)}`,
    `Muted:      ${view.mute ? muteText(view.mute) : 'no'}`,
    '',
    `Alerts (${view.alerts.length}):`,
  ];
  for (const alert of view.alerts) {
    lines.push(`  ${alert.id}  ${alert.kind} ${alert.severity}, ${formatTime(alert.lastSeen)}`);
    lines.push(`    ${truncate(oneLine(alert.headline), 140)}`);
    for (const reason of alert.reasons) lines.push(`    - ${oneLine(reason)}`);
    if (alert.muted) lines.push(`    ${mutedLine(alert.muted)}`);
  }
  lines.push('', `Sources (${view.sources.length}):`);
  view.sources.forEach((source, i) => {
    const copy = source.copyOf !== undefined ? ' (copy of a wire story)' : '';
    lines.push(`  ${i + 1}. ${oneLine(source.outlet)}, ${formatTime(source.time)}${copy}`);
    lines.push(`     ${oneLine(source.title) || '(untitled)'}`);
    const link = visibleLink(source.link);
    if (link) lines.push(`     ${link}`);
  });
  return `${lines.join('\n')}\n`;
};
