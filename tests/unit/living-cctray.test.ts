import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCctraySource } from '../../src/main/sources/cctray/cctray-source';
import { cctrayOptionsSchema } from '../../src/main/sources/cctray/cctray-options';
import type { BuildSnapshot, CiSource } from '../../src/main/sources/source';
import { startLivingCi, type LivingCi } from '../support/living-ci';

/**
 * The soak checks that every build a fake reported is stored with its final status. A cctray feed
 * shows only the last build, so the cctray fake must name builds as Pipewatch infers them; this
 * test drives the real adapter through the fake and holds the fake to what the adapter stored.
 */

const START = Date.UTC(2026, 0, 1, 10, 0, 0);

let folder: string;
let living: LivingCi;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'pipewatch-living-cctray-'));
  // Only the clock is faked: the fake server and fetch run for real on loopback.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  // A build a second, each running 1.5 s: two overlap, as on a busy server.
  living = await startLivingCi('cctray', { everyMs: 1000, durationMs: 1500, offsetMs: 0 });
});
afterEach(async () => {
  vi.useRealTimers();
  await living.fake.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The adapter, with every 200 feed it reads also shown to the fake (as the proxy does). */
function adapter(): CiSource {
  return createCctraySource({
    feedUrl: living.baseUrl(living.fake.url),
    options: cctrayOptionsSchema.parse(living.options),
    stateDirectory: folder,
    token: () => 'living-cctray-token',
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 200) {
        const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
        living.reportedBuilds(path, await response.clone().text());
      }
      return response;
    },
  });
}

/** Polls at each offset from START (ms); answers the last snapshot of every build. */
async function pollAt(source: CiSource, offsets: number[]): Promise<Map<string, BuildSnapshot>> {
  const builds = new Map<string, BuildSnapshot>();
  for (const offset of offsets) {
    vi.setSystemTime(START + offset);
    const snapshot = await source.poll({
      signal: new AbortController().signal,
      knownFinishedBuilds: new Set(),
    });
    for (const build of snapshot.builds) builds.set(build.externalId, build);
  }
  return builds;
}

describe('the living cctray fake', () => {
  it('names every build it reported as the adapter stores it, with its final status', async () => {
    const source = adapter();
    const reported = new Set<string>();
    const original = living.reportedBuilds.bind(living);
    living.reportedBuilds = (path, body) => {
      const ids = original(path, body);
      for (const id of ids) reported.add(id);
      return ids;
    };
    // Build 1 (label 14) is seen running; the next poll comes after builds 1–3 finished, so the
    // build watched as "14" ends under label 16. Then polls a second apart, and after a freeze.
    const builds = await pollAt(source, [500, 4200, 5200, 6200]);
    vi.setSystemTime(START + 6500);
    living.freeze();
    for (const [id, build] of await pollAt(source, [7000, 8000])) builds.set(id, build);

    expect(builds.get('14')?.number, 'the watched build took the later label').toBe(16);
    expect(builds.has('15')).toBe(false);
    const finals = living.finalStatuses();
    expect([...reported].sort()).toEqual([...builds.keys()].sort());
    for (const id of reported) {
      expect(builds.get(id)?.status, `build ${id}`).toBe(finals.get(id));
    }
    // Build 4 of the timeline (label 17) fails: one in four does.
    expect(finals.get('17')).toBe('failed');
  });
});
