import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { errorMessage, InvalidInputError } from '../lambdas/core/common/errors.ts';
import { addAnalystCommands } from './events.ts';
import {
  describeInvalid,
  type Io,
  PACKAGE_ROOT,
  processIo,
  readUserFile,
  UsageError,
} from './io.ts';
import { checkRulesText, loadRulesFile } from './rules-file.ts';

// Each command loads its own modules when it runs, so `classify` never pays for the feed
// fetcher or `--help` for the rules.

const positive = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};

const isoTime = (value: string): number => {
  const t = /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new InvalidArgumentError('expected an ISO 8601 time such as 2023-10-08T00:00Z');
  }
  return t;
};

const rulesOption = () =>
  new Option(
    '--rules <file>',
    "rule file (YAML or JSON); default: the package's config/rules.yaml"
  );

/** The version in the package's package.json (the same from the sources and the bundle). */
const packageVersion = (): string =>
  (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;

/** Builds the command tree; each action stores its exit status in `status`. */
const program = (io: Io, status: { code: number }, signal?: AbortSignal): Command => {
  const cli = new Command('newsalert')
    .description(
      'Polls news feeds, recognises armed-conflict escalations with keyword rules, groups reports of one event, and alerts.'
    )
    .version(packageVersion(), '--version', 'print the version of newsalert')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');

  cli
    .command('run')
    .description('poll the feeds once (or every N minutes), classify, cluster and print alerts')
    .argument(
      '[feeds...]',
      "feed URLs (http, https, file://) or local paths; default: the --feeds file, else the package's config/feeds.yaml"
    )
    .option('--feeds <file>', 'JSON or YAML list of {url, name?}')
    .addOption(rulesOption())
    .option('--data <dir>', 'data folder playing the bucket (state, items, alerts)', '.newsalert')
    .option('--watch <minutes>', 'poll again every N minutes until stopped', positive('--watch'))
    .option('--json', 'JSON lines on stdout: feed, alert and summary', false)
    .option('--concurrency <n>', 'feeds fetched at once', positive('--concurrency'), 16)
    .option('--timeout <seconds>', 'per-feed request timeout', positive('--timeout'), 15)
    .option(
      '--allow-private',
      'also fetch feeds (and follow redirects) on loopback, private and link-local addresses',
      false
    )
    .action(async (feeds: string[], opts) => {
      const { runCommand } = await import('./run.ts');
      status.code = await runCommand(io, feeds, opts, signal);
    });

  cli
    .command('classify')
    .description('classify JSON-lines items from stdin (or --input); one result line per item')
    .option('--input <file>', 'read items from this file instead of stdin')
    .addOption(rulesOption())
    .option('--explain', 'a human-readable account of every decision', false)
    .action(async (opts) => {
      const { classifyCommand } = await import('./classify.ts');
      status.code = await classifyCommand(io, await loadRulesFile(opts.rules), opts);
    });

  cli
    .command('demo')
    .description('offline: serve the bundled sample feeds on loopback and run the pipeline on them')
    .addOption(rulesOption())
    .option('--data <dir>', 'data folder (default: a new temporary folder)')
    .option('--json', 'JSON lines on stdout', false)
    .action(async (opts) => {
      const data = opts.data
        ? resolve(opts.data)
        : await mkdtemp(join(tmpdir(), 'newsalert-demo-'));
      const { demoCommand } = await import('./demo.ts');
      status.code = await demoCommand(io, await loadRulesFile(opts.rules), {
        data,
        json: opts.json,
      });
    });

  cli
    .command('eval')
    .description(
      'measure the rules on labelled items: JSON lines with "label" 0 or 1, or a stream with --labels'
    )
    .argument('<file>', 'JSON-lines file of items (labelled, or a stream of entries with --labels)')
    .addOption(rulesOption())
    .option(
      '--labels <file>',
      'JSON lines of {id, label, ceasefire?, hard?} matched to the entries by id; unlabelled entries are skipped and counted, ceasefire-flagged ones not scored'
    )
    .option('--since <time>', 'score only entries published at or after this ISO time', isoTime)
    .option('--until <time>', 'score only entries published before this ISO time', isoTime)
    .option(
      '--errors',
      'list every false positive and false negative with source, title and summary',
      false
    )
    .option('--json', 'print the report as JSON', false)
    .action(async (file: string, opts) => {
      const { evalCommand } = await import('./evaluate.ts');
      status.code = await evalCommand(io, await loadRulesFile(opts.rules), file, opts);
    });

  cli
    .command('replay')
    .description(
      'replay recorded feed entries (JSON lines) through the pipeline with a simulated clock: the alerts they would have sent'
    )
    .argument('<file>', 'JSON lines {id, feed, outlet?, title, summary?, link?, published}')
    .addOption(rulesOption())
    .option('--poll <minutes>', 'minutes between simulated polls', positive('--poll'), 5)
    .option('--data <dir>', 'state folder to keep (default: fresh state in memory, gone after)')
    .option('--json', 'JSON lines on stdout: alert lines, then a summary', false)
    .action(async (file: string, opts) => {
      const { replayCommand } = await import('./replay.ts');
      status.code = await replayCommand(io, await loadRulesFile(opts.rules), file, opts);
    });

  cli
    .command('send-test')
    .description(
      "publish one alert marked TEST through the deployed stack's topics, so every subscriber's channel shows it delivers"
    )
    .option('--stack <name>', 'the deployed stack', 'NewsAlerts')
    .option('--region <region>', 'its region (default: AWS_REGION or the profile)')
    .action(async (opts) => {
      const { sendTestCommand } = await import('./send-test.ts');
      status.code = await sendTestCommand(io, opts);
    });

  const rules = cli.command('rules').description('work with rule files');
  rules
    .command('check')
    .description('validate a rule file and report every problem with its location')
    .argument('<file>', 'rule file: YAML, or JSON (.json, read strictly, as the Lambdas do)')
    .action(async (file: string) => {
      const { problems, warnings = [] } = checkRulesText(await readUserFile(file, 'rules'), file);
      for (const w of warnings) io.out(`warning: ${w}\n`);
      const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
      if (problems.length === 0) {
        io.out(
          `${file}: ok${warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''}\n`
        );
        status.code = 0;
      } else {
        for (const p of problems) io.out(`${p}\n`);
        io.err(`${file}: ${plural(problems.length, 'problem')}\n`);
        status.code = 2;
      }
    });

  addAnalystCommands(cli, io, status);

  for (const command of [cli, ...cli.commands, ...rules.commands]) {
    command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  }
  return cli;
};

/**
 * Runs the CLI and returns its exit status: 0 success, 1 a failed run (a feed or an alert
 * failed), 2 bad usage or input.
 */
export const main = async (
  argv: readonly string[],
  io: Io = processIo(),
  signal?: AbortSignal
): Promise<number> => {
  const status = { code: 0 };
  if (argv.length === 0) argv = ['--help'];
  try {
    await program(io, status, signal).parseAsync([...argv], { from: 'user' });
    return status.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.exitCode === 0
        ? 0
        : 2;
    }
    if (err instanceof InvalidInputError) {
      io.err(`${describeInvalid(err)}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.err(`${err.message}\n`);
      return 2;
    }
    io.err(`newsalert failed: ${errorMessage(err)}\n`);
    return 1;
  }
};
