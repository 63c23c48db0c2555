/**
 * The analyst's commands: `events` (recent events, or one in full), `report` (the HTML page, or
 * a time-limited link to the one the classifier keeps in the bucket), `mute` and `unmute`. Each
 * reads the local data folder (as `run` writes it) or the deployed bucket with the user's own
 * AWS credentials. The commands load their modules when they run.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ObjectStore } from '../lambdas/ports.ts';
import { type Io, UsageError } from './io.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "24h", "7d" in milliseconds. */
export const parseDuration = (value: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*([mhd])$/.exec(value.trim());
  const n = m ? Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0) : 0;
  if (!(n > 0)) throw new InvalidArgumentError('expected a duration such as 30m, 24h or 7d');
  return n;
};

/** `--since`: a duration back from now ("24h") or an ISO time; kept as given, read at run time. */
const sinceOption = () =>
  new Option(
    '--since <when>',
    'only events whose last report is this recent: a duration (24h, 7d) or an ISO time'
  ).argParser((value: string) => {
    if (/^\d{4}-\d\d-\d\d/.test(value) && !Number.isNaN(Date.parse(value))) return value;
    parseDuration(value);
    return value;
  });

const sinceTime = (since: string | undefined, now: Date): Date | undefined => {
  if (since === undefined) return undefined;
  if (/^\d{4}-\d\d-\d\d/.test(since)) return new Date(Date.parse(since));
  return new Date(now.getTime() - parseDuration(since));
};

interface StoreOptions {
  readonly data?: string;
  readonly bucket?: string;
}

const storeOptions = (command: Command): Command =>
  command
    .option('--data <dir>', 'local data folder, as `run` writes it (default: .newsalert)')
    .option('--bucket <name>', 'the deployed bucket, read with your own AWS credentials');

/** The local folder, or the bucket through the S3 client's default configuration chain. */
const openStore = async (opts: StoreOptions): Promise<{ store: ObjectStore; where: string }> => {
  if (opts.data !== undefined && opts.bucket !== undefined) {
    throw new UsageError('give --data or --bucket, not both');
  }
  if (opts.bucket !== undefined) {
    const [{ S3Client }, { S3ObjectStore }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('../lambdas/adapters/s3-store.ts'),
    ]);
    return {
      store: new S3ObjectStore(new S3Client({}), opts.bucket),
      where: `s3://${opts.bucket}`,
    };
  }
  const { FsObjectStore } = await import('../lambdas/adapters/fs-store.ts');
  const dir = resolve(opts.data ?? '.newsalert');
  return { store: new FsObjectStore(dir), where: dir };
};

/** An event id as given, or the event id of an alert id (`evt-…:2`). */
const eventIdOf = (value: string): string => value.trim().replace(/:\d+$/, '');

const now = () => new Date();

/** Adds `events`, `report`, `mute` and `unmute` to the command tree. */
export const addAnalystCommands = (cli: Command, io: Io, status: { code: number }): void => {
  storeOptions(
    cli
      .command('events')
      .description(
        'recent events: severity, places, figures, first and last seen, their alerts; the mutes'
      )
      .argument('[event-id]', 'show this event in full')
  )
    .addOption(sinceOption())
    .option('--json', 'JSON on stdout: one line per event, then one with the mutes', false)
    .action(
      async (id: string | undefined, opts: StoreOptions & { since?: string; json: boolean }) => {
        const { store, where } = await openStore(opts);
        const { readRecentEvents } = await import('../lambdas/pipeline/report.ts');
        const at = now();
        const { events, mutes } = await readRecentEvents(store, {
          now: at,
          ...(id === undefined ? { since: sinceTime(opts.since, at) } : {}),
        });
        const { renderEventDetail, renderEventList } = await import(
          '../lambdas/core/report/listing.ts'
        );
        if (id !== undefined) {
          const view = events.find((e) => e.id === eventIdOf(id));
          if (!view) throw new UsageError(`no event ${id} in ${where} (run newsalert events)`);
          io.out(
            opts.json ? `${JSON.stringify({ type: 'event', ...view })}\n` : renderEventDetail(view)
          );
          return;
        }
        if (opts.json) {
          for (const view of events) io.out(`${JSON.stringify({ type: 'event', ...view })}\n`);
          io.out(`${JSON.stringify({ type: 'mutes', mutes })}\n`);
        } else io.out(renderEventList(events, mutes));
        status.code = 0;
      }
    );

  storeOptions(
    cli
      .command('report')
      .description(
        'write the events as one self-contained HTML page, or print a link to the deployed one'
      )
      .option('--html <file>', 'write the page to this file')
      .option(
        '--url',
        "print a time-limited link to the classifier's reports/latest.html (with --bucket)",
        false
      )
      .option('--expires <duration>', 'how long the --url link works (at most 7d)', '1h')
  )
    .addOption(sinceOption())
    .action(
      async (
        opts: StoreOptions & { html?: string; url: boolean; since?: string; expires: string }
      ) => {
        if (opts.url === (opts.html !== undefined)) {
          throw new UsageError('give --html FILE or --url');
        }
        if (opts.url) {
          if (opts.bucket === undefined) throw new UsageError('--url needs --bucket NAME');
          const expiresMs = parseDuration(opts.expires);
          if (expiresMs > 7 * 86_400_000) throw new UsageError('--expires is at most 7d');
          const { reportLink } = await import('./report-link.ts');
          io.out(`${await reportLink(opts.bucket, Math.round(expiresMs / 1000))}\n`);
          return;
        }
        const { store } = await openStore(opts);
        const { reportHtml } = await import('../lambdas/pipeline/report.ts');
        const at = now();
        const html = await reportHtml(store, { now: at, since: sinceTime(opts.since, at) });
        await writeFile(opts.html as string, html);
        io.err(`wrote ${opts.html} (${Math.round(Buffer.byteLength(html) / 1024)} KB)\n`);
      }
    );

  const muteCommand = (name: 'mute' | 'unmute') =>
    storeOptions(
      cli
        .command(name)
        .description(
          name === 'mute'
            ? 'stop the updates of an event for a while (a higher severity still gets through, marked so)'
            : 'end the mute of an event'
        )
        .argument('<event-id>', 'the event, as `newsalert events` lists it')
    );
  muteCommand('mute')
    .option('--for <duration>', 'how long (30m, 24h, 7d)', '24h')
    .option(
      '--note <text>',
      'why, or who handles it (shown in the listing and in an alert sent anyway)'
    )
    .action(async (id: string, opts: StoreOptions & { for: string; note?: string }) => {
      const ms = parseDuration(opts.for);
      const { store, where } = await openStore(opts);
      const eventId = eventIdOf(id);
      const { readRecentEvents } = await import('../lambdas/pipeline/report.ts');
      const at = now();
      const { events } = await readRecentEvents(store, { now: at });
      if (!events.some((e) => e.id === eventId)) {
        throw new UsageError(`no event ${id} in ${where} (run newsalert events)`);
      }
      const [{ updateMutes }, { withMute }] = await Promise.all([
        import('../lambdas/pipeline/mutes-doc.ts'),
        import('../lambdas/core/events/index.ts'),
      ]);
      const until = new Date(at.getTime() + ms).toISOString();
      const note = opts.note?.trim();
      await updateMutes(store, (list) =>
        withMute(list, { eventId, until, at: at.toISOString(), ...(note ? { note } : {}) }, at)
      );
      io.out(`${eventId} muted until ${until}\n`);
    });
  muteCommand('unmute').action(async (id: string, opts: StoreOptions) => {
    const { store } = await openStore(opts);
    const eventId = eventIdOf(id);
    const [{ readMutes, updateMutes }, { activeMutes, withoutMute }] = await Promise.all([
      import('../lambdas/pipeline/mutes-doc.ts'),
      import('../lambdas/core/events/index.ts'),
    ]);
    const at = now();
    const was = activeMutes(await readMutes(store), at).some((m) => m.eventId === eventId);
    await updateMutes(store, (list) => withoutMute(list, eventId, at));
    io.out(was ? `${eventId} unmuted\n` : `${eventId} was not muted\n`);
  });
};
