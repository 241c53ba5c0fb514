import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createCctraySource } from '../../src/main/sources/cctray/cctray-source';
import { cctrayOptionsSchema } from '../../src/main/sources/cctray/cctray-options';
import {
  asyncOutcomeOf,
  describeFailure,
  FUZZ_RUNS,
  snapshotProblem,
  temporaryStore,
} from '../support/fuzz-kit';
import { fixtureText } from '../support/provider-fixtures';

/**
 * cctray feeds (XML) fuzzed at the adapter's edge: the spec's example feed cut short, with
 * garbage spliced in, attributes given any value, and whole feeds of random projects. A poll
 * reads it after a poll of the intact feed (builds are inferred between polls) and must answer a
 * snapshot the store accepts, or a typed SourceError.
 */

const FEED = fixtureText('cctray', 'cctray.xml');

const attributeValue = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.constantFrom(
    'Sleeping',
    'Building',
    'CheckingModifications',
    'Success',
    'Failure',
    'Exception',
    'Unknown',
    'Pending',
    '99999999999999999999',
    '-1',
    '1.5',
    'catalog :: build :: compile',
    '2005-09-28T10:30:34.6362160+01:00',
    '9999-99-99T99:99:99',
    '&amp;&lt;&#x110000;&#0;&bogus;',
    '<',
    '"',
  ),
);

/** The example feed, changed as text: cut, spliced, or an attribute value replaced raw. */
const mutatedFeed = fc.oneof(
  fc.nat({ max: FEED.length }).map((end) => FEED.slice(0, end)),
  fc
    .tuple(
      fc.nat({ max: FEED.length }),
      fc.oneof(fc.string(), fc.constantFrom('<', '</Project>', ']]>', '<!--', '<![CDATA[')),
    )
    .map(([at, junk]) => `${FEED.slice(0, at)}${junk}${FEED.slice(at)}`),
  fc.tuple(fc.nat(), attributeValue).map(([index, value]) => {
    const values = [...FEED.matchAll(/="([^"]*)"/g)];
    const match = values[index % values.length];
    if (!match || match.index === undefined) return FEED;
    return `${FEED.slice(0, match.index)}="${value}"${FEED.slice(match.index + match[0].length)}`;
  }),
);

const attributeNames = [
  'name',
  'activity',
  'lastBuildStatus',
  'lastBuildLabel',
  'lastBuildTime',
  'webUrl',
];

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** A feed of random projects, each with any subset of the attributes, escaped properly. */
const randomFeed = fc
  .array(fc.dictionary(fc.constantFrom(...attributeNames), attributeValue), { maxLength: 6 })
  .map(
    (projects) =>
      `<?xml version="1.0" encoding="utf-8"?>\n<Projects>${projects
        .map(
          (attributes) =>
            `<Project ${Object.entries(attributes)
              .map(([key, value]) => `${key}="${escapeAttribute(value)}"`)
              .join(' ')}/>`,
        )
        .join('\n')}</Projects>`,
  );

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('cctray feeds, mutated or random', () => {
  it('poll into a snapshot the store accepts, or fail the poll with a typed error', async () => {
    const scratch = temporaryStore();
    let readable = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutatedFeed, randomFeed), async (feed) => {
          const stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-fuzz-cctray-'));
          folders.push(stateDirectory);
          let text = FEED;
          const source = createCctraySource({
            feedUrl: 'http://127.0.0.1:9/cctray.xml',
            options: cctrayOptionsSchema.parse({}),
            stateDirectory,
            token: () => null,
            fetch: async () =>
              new Response(text, { status: 200, headers: { 'Content-Type': 'application/xml' } }),
          });
          const context = {
            signal: new AbortController().signal,
            knownFinishedBuilds: new Set<string>(),
          };
          await source.poll(context);
          text = feed;
          const outcome = await asyncOutcomeOf(() => source.poll(context));
          if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
          if (outcome.kind === 'value') {
            expect(snapshotProblem(outcome.value)).toBeNull();
            scratch.store.applySnapshot(scratch.sourceId, outcome.value, 'fuzz');
            readable += 1;
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
      expect(readable).toBeGreaterThan(FUZZ_RUNS / 10);
    } finally {
      scratch.close();
    }
  });
});
