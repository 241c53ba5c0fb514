import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe } from '../support/serve-process';
import { buildsNotFromOnePoll } from '../support/stored-build';

/** A demo that checks in every 2 s with stages of a few hundred ms: polls write constantly. */
const busyDemo = {
  sources: [
    {
      id: 'catalog-demo',
      kind: 'demo',
      name: 'Catalog (demo)',
      options: { checkInEverySeconds: 2, speed: 200 },
    },
  ],
  polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
};

const STAGES_PER_CATALOG_BUILD = 6;
/** `npm test` kills five times; `npm run soak` sets PIPEWATCH_KILLS=50. */
const KILLS = Number(process.env['PIPEWATCH_KILLS'] ?? 5);
const timeout = 30_000 + KILLS * 18_000;
const dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function storedBuildNumbers(url: string): Promise<number[]> {
  const base = new URL(url);
  const pipelines = (await (await fetch(new URL('/api/pipelines', base))).json()) as Array<{
    id: number;
  }>;
  const id = pipelines[0]?.id;
  if (id === undefined) return [];
  const builds = (await (
    await fetch(new URL(`/api/pipelines/${id}/builds?limit=500`, base))
  ).json()) as Array<{
    number: number;
  }>;
  return builds.map((build) => build.number);
}

describe('killing serve mode mid-poll', () => {
  it(`loses no build and leaves none half-written, ${KILLS} kills`, { timeout }, async () => {
    const seen = new Set<number>();
    const started = Date.now();
    for (let round = 0; round < KILLS; round += 1) {
      const server = await startServe(busyDemo, [], dataDir);
      await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 2500));
      for (const number of await storedBuildNumbers(server.url)) seen.add(number);
      server.process.kill('SIGKILL');
      await new Promise((resolve) => server.process.once('exit', resolve));

      const db = new Database(join(dataDir, 'pipewatch.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const builds = db
          .prepare(
            `SELECT b.number AS number, COUNT(s.id) AS stages FROM builds b
             LEFT JOIN stages s ON s.build_id = b.id GROUP BY b.id`,
          )
          .all() as Array<{ number: number; stages: number }>;
        const numbers = builds.map((build) => build.number);
        expect(new Set(numbers).size, 'no build is stored twice').toBe(numbers.length);
        for (const build of builds) {
          expect(build.stages, `build ${build.number} has all its stages`).toBe(
            STAGES_PER_CATALOG_BUILD,
          );
        }
        for (const number of seen)
          expect(numbers, `build ${number} survived the kill`).toContain(number);
        // Each build's stages, steps, edges and gates hash to the content hash its poll wrote.
        expect(buildsNotFromOnePoll(db), 'builds with rows of another poll').toEqual([]);
      } finally {
        db.close();
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`crash test: ${KILLS} kills in ${seconds} s, ${seen.size} builds, all intact`);
  });
});
