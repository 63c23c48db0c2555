import { readFileSync } from 'node:fs';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileFeedReader } from '../../../lambdas/adapters/file-feed-reader.ts';
import { failure, okText } from '../../helpers/fetch-results.ts';
import { fixturePath as fixture } from '../../helpers/fixtures.ts';

const fixturePath = (name: string): string => fixture(`feeds/${name}`);
const fixtureText = (name: string): string => readFileSync(fixturePath(name), 'utf8');

describe('Class: FileFeedReader', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-fetch-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads file:// URLs, absolute and relative paths alike', async () => {
    // Prepare
    const absolute = fixturePath('worthy-news.rss.xml');
    const fetcher = new FileFeedReader();

    // Act
    const results = await Promise.all(
      [pathToFileURL(absolute).href, absolute, relative(process.cwd(), absolute)].map((u) =>
        fetcher.fetch(u, {})
      )
    );

    // Assess
    for (const result of results) expect(okText(result)).toBe(fixtureText('worthy-news.rss.xml'));
  });

  it('decodes a file by its BOM or declaration', async () => {
    // Act
    const result = await new FileFeedReader().fetch(fixturePath('big5-declared.xml'), {});

    // Assess
    expect(okText(result)).toContain('台灣新聞');
  });

  it('answers unchanged while size and mtime are the same, and reads it again after a change', async () => {
    // Prepare
    const path = join(dir, 'local.xml');
    await writeFile(path, fixtureText('rss-1.0-rdf.xml'));
    await utimes(path, new Date('2024-11-29T10:00:00Z'), new Date('2024-11-29T10:00:00Z'));
    const fetcher = new FileFeedReader();

    // Act
    const first = await fetcher.fetch(path, {});
    const second = await fetcher.fetch(path, first.validators);
    await writeFile(path, fixtureText('worthy-news.rss.xml'));
    const third = await fetcher.fetch(path, first.validators);

    // Assess
    expect(first.status).toBe('ok');
    expect(first.validators.lastModified).toBe('Fri, 29 Nov 2024 10:00:00 GMT');
    expect(second.status).toBe('unchanged');
    expect(okText(third)).toContain('Worthy News');
  });

  it('applies the byte cap to files', async () => {
    // Prepare
    const path = join(dir, 'big.xml');
    await writeFile(path, Buffer.alloc(2048, 0x20));

    // Act
    const err = await failure(new FileFeedReader({ maxBytes: 1024 }).fetch(path, {}));

    // Assess
    expect(err.message).toMatch(/^response over 1 KiB \(2048 bytes declared\) from /);
  });

  it('fails with the path for a missing file or a directory', async () => {
    // Act
    const missing = await failure(new FileFeedReader().fetch(join(dir, 'nope.xml'), {}));
    const directory = await failure(new FileFeedReader().fetch(pathToFileURL(dir).href, {}));

    // Assess
    expect(missing.message).toBe(
      `cannot read ${join(dir, 'nope.xml')}: no such file ${join(dir, 'nope.xml')}`
    );
    expect(directory.message).toMatch(/is not a file$/);
  });
});
