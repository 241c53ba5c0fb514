import { describe, expect, it } from 'vitest';
import { formatIssuePath } from '../../src/shared/config';
import { githubOptionsSchema } from '../../src/main/sources/github/github-options';
import {
  parsePipelineExternalId,
  pipelineExternalId,
  webOrigin,
  workflowWebUrl,
} from '../../src/main/sources/github/github-refs';
import {
  isReadableWorkflowPath,
  workflowFilePath,
} from '../../src/main/sources/github/workflow-file';
import { SourceError } from '../../src/main/sources/source';

function firstIssue(options: unknown): string {
  const result = githubOptionsSchema.safeParse(options);
  if (result.success) return 'valid';
  const issue = result.error.issues[0]!;
  return `${formatIssuePath(issue.path)}: ${issue.message}`;
}

describe('the options of a GitHub source', () => {
  it('need only the repositories; 20 runs a poll by default', () => {
    expect(githubOptionsSchema.parse({ repositories: ['octo-org/octo-repo'] })).toEqual({
      repositories: ['octo-org/octo-repo'],
      runsPerPoll: 20,
    });
  });

  it('name the bad field: a repository without its owner, a path instead of a file name, a typo', () => {
    expect(firstIssue({ repositories: ['octo-repo'] })).toMatch(
      /^repositories\[0\]: .*owner\/name/,
    );
    expect(firstIssue({ repositories: ['o/r'], workflows: ['.github/workflows/ci.yml'] })).toMatch(
      /^workflows\[0\]: .*file name/,
    );
    expect(firstIssue({ repositories: ['o/r'], runsPerPoll: 500 })).toMatch(/^runsPerPoll/);
    expect(firstIssue({ repositories: ['o/r'], branches: ['main'] })).toMatch(/branches/);
    expect(firstIssue({ repositories: [] })).toMatch(/^repositories: .*at least one/);
  });
});

describe('GitHub addresses', () => {
  it('a pipeline id names the repository and workflow and reads back', () => {
    const id = pipelineExternalId({ owner: 'octo-org', name: 'octo-repo' }, 159038);
    expect(id).toBe('octo-org/octo-repo:159038');
    expect(parsePipelineExternalId(id)).toEqual({
      repository: { owner: 'octo-org', name: 'octo-repo' },
      workflowId: 159038,
    });
    expect(() => parsePipelineExternalId('catalog')).toThrow(SourceError);
  });

  it('web pages live on github.com, on the Enterprise host, or on the test server', () => {
    expect(webOrigin('https://api.github.com')).toBe('https://github.com');
    expect(webOrigin('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(webOrigin('https://api.octo.ghe.com')).toBe('https://octo.ghe.com');
    expect(webOrigin('http://127.0.0.1:4000/api/v3')).toBe('http://127.0.0.1:4000');
    expect(
      workflowWebUrl(
        'https://api.github.com',
        { owner: 'o', name: 'r' },
        '.github/workflows/ci.yml',
      ),
    ).toBe('https://github.com/o/r/actions/workflows/ci.yml');
  });

  it("a run's path loses its @ref, and only files under .github/workflows are read", () => {
    expect(workflowFilePath('.github/workflows/build.yml@main')).toBe(
      '.github/workflows/build.yml',
    );
    expect(workflowFilePath('.github/workflows/build.yml')).toBe('.github/workflows/build.yml');
    expect(isReadableWorkflowPath('.github/workflows/build.yml')).toBe(true);
    expect(isReadableWorkflowPath('dynamic/pages/pages-build-deployment')).toBe(false);
  });
});
