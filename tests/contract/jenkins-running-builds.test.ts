import { afterEach, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';
import {
  JOB,
  JOB_PATH,
  coreBuilds,
  jenkinsSource,
  olderRun,
  pollContext,
} from '../support/jenkins-server';

/**
 * Found by the soak (tests/integration/soak.test.ts): wfapi lists only the newest builds, so a
 * long build can drop out of the list while it still runs. Pipewatch must follow it to its end
 * rather than show it running for ever.
 */

function running(number: number): Record<string, unknown> {
  const run = olderRun(number);
  run.status = 'IN_PROGRESS';
  run.stages = [];
  return run;
}

let server: FakeProvider | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('a Jenkins build that leaves the wfapi list while it runs', () => {
  it('build 16 is followed until it finishes after ten newer builds pushed it out', async () => {
    let runs = [running(16)];
    let build16 = running(16);
    server = await startFakeProvider({
      [`GET ${JOB_PATH}/wfapi/runs`]: () => ({ body: runs }),
      [`GET ${JOB_PATH}/api/json`]: coreBuilds(26, 26),
      [`GET ${JOB_PATH}/16/wfapi/describe`]: () => ({ body: build16 }),
    });
    const source = jenkinsSource(server, { historyBuilds: 0 });

    const first = await source.poll(pollContext());
    expect(first.builds.map((build) => [build.number, build.status])).toEqual([[16, 'running']]);

    // Ten newer builds ran while build 16 went on; it finished after leaving the list.
    runs = Array.from({ length: 10 }, (_, index) => olderRun(26 - index));
    build16 = olderRun(16);
    const second = await source.poll(pollContext());
    const sixteen = second.builds.find((build) => build.number === 16);
    expect(sixteen?.status).toBe('success');
  });
});

describe('Jenkins builds that ran while Pipewatch could not look', () => {
  it('builds 17–21, which came and went beyond the ten newest while the server was unreachable, are fetched', async () => {
    let runs = Array.from({ length: 10 }, (_, index) => olderRun(16 - index));
    let down = false;
    server = await startFakeProvider({
      [`GET ${JOB_PATH}/wfapi/runs`]: () => (down ? { status: 503 } : { body: runs }),
      [`GET ${JOB_PATH}/api/json`]: coreBuilds(31, 31),
      ...Object.fromEntries(
        Array.from({ length: 31 }, (_, index) => [
          `GET ${JOB_PATH}/${index + 1}/wfapi/describe`,
          () => ({ body: olderRun(index + 1) }),
        ]),
      ),
    });
    const source = jenkinsSource(server, { historyBuilds: 0, historyBuildsPerPoll: 5 });
    const stored = new Set<string>();
    const poll = async () => {
      const snapshot = await source.poll(pollContext([...stored].map((id) => `${JOB}/${id}`)));
      for (const build of snapshot.builds) stored.add(build.externalId);
      return snapshot.builds.map((build) => build.number).sort((a, b) => a - b);
    };

    expect(await poll()).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    down = true;
    await expect(source.poll(pollContext())).rejects.toThrow();
    // Fifteen builds later the server answers again: wfapi lists only the newest ten (22–31).
    down = false;
    runs = Array.from({ length: 10 }, (_, index) => olderRun(31 - index));
    const after = await poll();
    expect(after.slice(-10)).toEqual([22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
    await poll();
    expect([...stored].map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 25 }, (_, index) => index + 7),
    );
  });
});
