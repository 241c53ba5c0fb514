import { afterEach, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';
import {
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
