/**
 * The email: complete plain text with everything a reader needs to judge the alert (what, where,
 * how bad, what changed, the sources, why it fired, when). Pure.
 */

import { visibleLink } from '../common/links.ts';
import { oneLine } from '../common/plain-text.ts';
import type { Alert } from '../common/types.ts';
import { categoryLabel } from '../events/index.ts';
import { casualtyText, cleanList } from './wording.ts';

/** Sources listed in the email; the alert record under alerts/ keeps all of them. */
export const EMAIL_MAX_SOURCES = 25;

/** "2024-11-29 14:05 UTC", or the input cleaned when it is not a date. */
export const formatTime = (iso: string): string => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return oneLine(iso);
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => (line ? `${prefix}${line}` : line))
    .join('\n');

/** Why an update of a muted event was sent: only a higher severity gets through a mute. */
export const mutedLine = (muted: NonNullable<Alert['muted']>): string =>
  `This event is muted until ${formatTime(muted.until)}${muted.note ? ` (${oneLine(muted.note)})` : ''}; this update is sent because its severity rose.`;

/** The full plain-text email: everything a reader needs to judge the alert. */
export const renderEmail = (alert: Alert): string => {
  const lines: string[] = [];
  const severity = oneLine(alert.severity);
  lines.push(
    alert.kind === 'update'
      ? `UPDATE on an escalation event, severity ${severity}`
      : `NEW escalation event, severity ${severity}`
  );
  if (alert.muted) lines.push(mutedLine(alert.muted));
  lines.push('');
  lines.push(oneLine(alert.headline));
  const summary = oneLine(alert.summary);
  if (summary && summary !== oneLine(alert.headline)) {
    lines.push('');
    lines.push(summary);
  }
  lines.push('');
  const categories = cleanList(alert.categories).map(categoryLabel);
  const places = cleanList(alert.places);
  const toll = casualtyText(alert.casualties);
  const spread =
    (alert.casualties.killed && alert.casualties.killed.min !== alert.casualties.killed.max) ||
    (alert.casualties.injured && alert.casualties.injured.min !== alert.casualties.injured.max);
  lines.push(`What:      ${categories.length > 0 ? categories.join(', ') : 'escalation'}`);
  lines.push(`Where:     ${places.length > 0 ? places.join(', ') : 'not stated'}`);
  lines.push(
    `How bad:   ${toll ? `${toll} as reported${spread ? ' (figures differ between sources)' : ''}` : 'no casualty figures reported'}`
  );
  lines.push(`Severity:  ${severity}`);
  if (alert.kind === 'update' && alert.reasons.length > 0) {
    lines.push('');
    lines.push('What changed since the last alert:');
    for (const reason of alert.reasons) lines.push(`  - ${oneLine(reason)}`);
  }
  lines.push('');
  lines.push(`Sources (${alert.sources.length}):`);
  alert.sources.slice(0, EMAIL_MAX_SOURCES).forEach((source, i) => {
    const title = oneLine(source.title) || '(untitled)';
    const copy = source.copyOf !== undefined ? ' (copy of a wire story already listed)' : '';
    lines.push(`  ${i + 1}. ${oneLine(source.outlet)}, ${formatTime(source.time)}${copy}`);
    lines.push(indent(title, '     '));
    const link = visibleLink(source.link);
    if (link) lines.push(`     ${link}`);
  });
  if (alert.sources.length > EMAIL_MAX_SOURCES) {
    lines.push(`  ... and ${alert.sources.length - EMAIL_MAX_SOURCES} more in the alert record`);
  }
  lines.push('');
  lines.push('Why it fired:');
  const rules = cleanList(alert.rules);
  lines.push(`  Rules matched: ${rules.length > 0 ? rules.join(', ') : 'none recorded'}`);
  if (alert.kind === 'update') {
    lines.push(`  Update because: ${alert.reasons.map(oneLine).join('; ') || 'not stated'}`);
  } else {
    lines.push('  First escalation report of this event.');
  }
  lines.push('');
  lines.push(`First seen: ${formatTime(alert.firstSeen)}`);
  lines.push(`Last seen:  ${formatTime(alert.lastSeen)}`);
  lines.push(`Event: ${oneLine(alert.eventId)}   Alert: ${oneLine(alert.id)}`);
  return `${lines.join('\n')}\n`;
};
