import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import { createBuildbotSource } from '../../src/main/sources/buildbot/buildbot-source';
import type { CiSource } from '../../src/main/sources/source';
import { serveBuildbot } from '../support/buildbot-fake-master';
import { RECORDED_AT, recordedMaster } from '../support/buildbot-recordings';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';

/** Re-run, cancel and retry on a fake Buildbot answering from the recorded Catalog master. */

let server: FakeProvider;
let stateDirectory: string;

beforeEach(async () => {
  server = await startFakeProvider();
  stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-buildbot-actions-'));
});

afterEach(async () => {
  await server.close();
  rmSync(stateDirectory, { recursive: true, force: true });
});

function source(): CiSource {
  return createBuildbotSource({
    options: buildbotOptionsSchema.parse({
      user: 'release-manager',
      pipelines: [
        {
          name: 'catalog',
          rootBuilder: 'compile',
          gates: [{ builder: 'production', after: 'slow-tests' }],
        },
      ],
    }),
    baseUrl: `${server.url}/`,
    token: () => 'release-password-5f2c',
    stateDirectory,
    now: () => RECORDED_AT,
  });
}

/** The JSON-RPC calls the source made: path and method. */
function controls(): string[] {
  return server.requests
    .filter((request) => request.method === 'POST')
    .map((request) => `${request.path} ${(JSON.parse(request.body) as { method: string }).method}`);
}

const build = (id: string) => ({ pipelineExternalId: 'catalog', buildExternalId: id });

describe('acting on a Buildbot check-in', () => {
  it('offers re-run, re-run failed, cancel and retry', () => {
    expect(source().capabilities).toEqual([
      'rerun-build',
      'rerun-failed',
      'cancel-build',
      'retry-stage',
    ]);
  });

  it('re-runs only the failed fast-tests of check-in 2 by rebuilding its build', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const answer = await source().rerunBuild?.(build('2'), 'failed');
    expect(answer?.message).toBe('Buildbot rebuilds fast-tests of catalog #2.');
    expect(controls()).toEqual(['/api/v2/builds/5 rebuild']);
  });

  it('re-runs a whole check-in by rebuilding its compile build', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const answer = await source().rerunBuild?.(build('1'), 'all');
    expect(answer?.message).toMatch(/rebuilds compile of catalog #1; it shows as a new build/);
    expect(controls()).toEqual(['/api/v2/builds/1 rebuild']);
  });

  it('cancels a check-in: stops what runs and drops what waits in the queue', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    // Check-in 2 while fast-tests runs and slow-tests waits for a worker.
    const fastTests = master.builds.find((item) => item.buildid === 5);
    const slowRequest = master.requests.find((item) => item.buildrequestid === 4);
    const slowSet = master.buildsets.find((item) => item.bsid === 4);
    if (!fastTests || !slowRequest || !slowSet) throw new Error('recording changed');
    Object.assign(fastTests, { complete: false, results: null });
    master.buildsets.push({ ...slowSet, bsid: 40, parent_buildid: 5 });
    master.requests.push({
      ...slowRequest,
      buildrequestid: 40,
      buildsetid: 40,
      complete: false,
      claimed: false,
    });
    serveBuildbot(server, master);
    const answer = await source().cancelBuild?.(build('2'));
    expect(controls()).toEqual(['/api/v2/builds/5 stop', '/api/v2/buildrequests/40 cancel']);
    expect(answer?.message).toBe(
      'Buildbot stops 1 running build and cancels 1 queued request of catalog #2.',
    );
  });

  it('retries one stage, and runs the production gate again by forcing it with its marker', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json', 'poll-approved.json'));
    await source().retryStage?.({ ...build('1'), stageExternalId: 'slow-tests' });
    await source().retryStage?.({ ...build('1'), stageExternalId: 'production' });
    expect(controls()).toEqual([
      '/api/v2/builds/4 rebuild',
      '/api/v2/forceschedulers/deploy-production force',
    ]);
    const force = server.requests.filter((request) => request.method === 'POST')[1];
    expect(JSON.parse(force?.body ?? '{}').params.reason).toMatch(/^\[pipewatch catalog 1\]/);
  });

  it('says so when there is nothing to retry', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    await expect(
      source().retryStage?.({ ...build('2'), stageExternalId: 'slow-tests' }),
    ).rejects.toThrow('slow-tests of catalog #2 has no build to run again.');
    expect(controls()).toEqual([]);
  });
});
