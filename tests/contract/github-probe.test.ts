import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/main/sources/source';
import { RATE_HEADERS, requestKeys, startGithubHarness, type GithubHarness } from './github-fake';

let harness: GithubHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('GitHub for Settings', () => {
  it('tests a connection with GET /user and the repositories’ workflows, nothing more', async () => {
    harness = await startGithubHarness({
      routes: { 'GET /api/v3/user': () => ({ body: { login: 'octocat' }, headers: RATE_HEADERS }) },
    });
    const probe = await harness.source.testConnection?.();
    expect(probe).toEqual({
      identity: 'octocat',
      pipelines: 2,
      rateLimit: expect.objectContaining({ limit: Number(RATE_HEADERS['x-ratelimit-limit']) }),
    });
    expect(requestKeys(harness.fake)).toEqual([
      'GET /api/v3/user',
      'GET /api/v3/repos/octo-org/octo-repo/actions/workflows',
    ]);
  });

  it('still answers for a GitHub App token, which may not read /user', async () => {
    harness = await startGithubHarness({
      routes: {
        'GET /api/v3/user': () => ({
          status: 403,
          body: { message: 'Resource not accessible by integration' },
        }),
      },
    });
    expect(await harness.source.testConnection?.()).toMatchObject({ identity: null, pipelines: 2 });
  });

  it('asks nothing of /user without a token (public repositories)', async () => {
    harness = await startGithubHarness({ token: () => null });
    expect(await harness.source.testConnection?.()).toMatchObject({ identity: null });
    expect(requestKeys(harness.fake)).not.toContain('GET /api/v3/user');
  });

  it('fails precisely when a picked workflow does not exist', async () => {
    harness = await startGithubHarness({
      routes: { 'GET /api/v3/user': () => ({ body: { login: 'octocat' } }) },
      options: { workflows: ['deploy.yml'] },
    });
    const failure = await harness.source.testConnection?.().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).message).toBe(
      'octo-org/octo-repo has no workflow file deploy.yml (options.workflows names it).',
    );
  });

  it('offers every workflow by file name for the picker', async () => {
    harness = await startGithubHarness();
    expect(await harness.source.offeredPipelines?.()).toEqual({
      option: 'workflows',
      pipelines: [
        {
          value: 'blank.yaml',
          name: 'CI',
          detail: 'octo-org/octo-repo · .github/workflows/blank.yaml',
          active: true,
        },
        {
          value: 'linter.yaml',
          name: 'Linter',
          detail: 'octo-org/octo-repo · .github/workflows/linter.yaml',
          active: true,
        },
      ],
    });
  });
});
