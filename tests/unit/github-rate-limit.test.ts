import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  githubRateLimitReset,
  readRateLimit,
} from '../../src/main/sources/github/github-rate-limit';
import { RunMemo } from '../../src/main/sources/github/run-memo';
import { WorkflowFileCache } from '../../src/main/sources/github/workflow-file-cache';
import { fixtureJson } from '../support/provider-fixtures';

const examples = fixtureJson<Record<string, string | number>>(
  'github',
  'header-examples.from-spec.json',
);
const specHeaders = (): Headers =>
  new Headers({
    'x-ratelimit-limit': String(examples['components/headers/x-rate-limit-limit']),
    'x-ratelimit-remaining': String(examples['components/headers/x-rate-limit-remaining']),
    'x-ratelimit-reset': String(examples['components/headers/x-rate-limit-reset']),
  });
const NOW = 1_590_700_000_000;

describe("GitHub's rate limit", () => {
  it('reads the budget from the spec example headers', () => {
    expect(readRateLimit(specHeaders())).toEqual({
      remaining: 4999,
      limit: 5000,
      resetAt: '2020-05-28T21:38:08.000Z',
    });
    expect(readRateLimit(new Headers())).toBeNull();
  });

  it('a spent budget comes back at x-ratelimit-reset', () => {
    const headers = specHeaders();
    headers.set('x-ratelimit-remaining', '0');
    const response = new Response(null, { status: 403, headers });
    expect(githubRateLimitReset(response, NOW, 'API rate limit exceeded')).toBe(1590701888 * 1000);
  });

  it('a secondary limit comes back after a minute; a plain 403 is no rate limit', () => {
    const forbidden = new Response(null, { status: 403, headers: specHeaders() });
    expect(githubRateLimitReset(forbidden, NOW, 'You have exceeded a secondary rate limit')).toBe(
      NOW + 60_000,
    );
    expect(
      githubRateLimitReset(forbidden, NOW, 'Resource not accessible by integration'),
    ).toBeNull();
    expect(githubRateLimitReset(new Response(null, { status: 429 }), NOW, '')).toBe(NOW + 60_000);
  });
});

describe('what a GitHub source keeps between polls', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'pipewatch-github-state-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('a workflow file read at a commit is kept on disk for the next start', () => {
    const repository = { owner: 'o', name: 'r' };
    const first = new WorkflowFileCache(folder);
    expect(first.get(repository, '.github/workflows/ci.yml', 'abc')).toBeUndefined();
    first.put(repository, '.github/workflows/ci.yml', 'abc', 'jobs:\n  build:\n    runs-on: x\n');
    const second = new WorkflowFileCache(folder);
    expect(second.get(repository, '.github/workflows/ci.yml', 'abc')?.jobs[0]?.id).toBe('build');
    expect(second.get(repository, '.github/workflows/ci.yml', 'def')).toBeUndefined();
  });

  it('the run memo survives a restart, forgets finished runs that left the page, and shrugs off a damaged file', () => {
    const memo = RunMemo.inDirectory(folder);
    const entry = (finished: boolean) => ({
      version: '1:2020-01-22T19:33:08Z',
      finished,
      repository: 'o/r',
      pipelineExternalId: 'o/r:1',
      gates: [],
    });
    memo.set('1', entry(true));
    memo.set('2', entry(false));
    memo.save();

    const restarted = RunMemo.inDirectory(folder);
    expect(restarted.get('1')?.version).toBe('1:2020-01-22T19:33:08Z');
    expect(restarted.unfinishedBeyond('o/r', new Set())).toEqual(['2']);
    restarted.retain(new Set());
    expect(restarted.get('1')).toBeUndefined();
    expect(restarted.get('2')).toBeDefined();

    writeFileSync(join(folder, 'github-runs.json'), '{ not json');
    expect(RunMemo.inDirectory(folder).get('2')).toBeUndefined();
  });
});
