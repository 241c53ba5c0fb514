import { describe, expect, it } from 'vitest';
import { decisionResultWords, decisionWords } from '../../src/renderer/src/format/decision-words';
import {
  statusClasses,
  statusDetailClass,
  statusText,
} from '../../src/renderer/src/format/status-words';
import { hrefFor, parseHashRoute } from '../../src/renderer/src/routing/hash-route';

describe('hash routes', () => {
  it.each([
    ['', { view: 'dashboard' }],
    ['#/', { view: 'dashboard' }],
    ['#/pipelines/3', { view: 'pipeline', pipelineId: 3, buildId: null }],
    ['#/pipelines/3/builds/122', { view: 'pipeline', pipelineId: 3, buildId: 122 }],
  ])('%s opens %j', (hash, route) => {
    expect(parseHashRoute(hash)).toEqual(route);
    expect(parseHashRoute(hrefFor(parseHashRoute(hash)))).toEqual(route);
  });

  it.each(['#/pipelines/abc', '#/pipelines/0', '#/pipelines/3/builds', '#/nowhere'])(
    '%s is not a page',
    (hash) => {
      expect(parseHashRoute(hash).view).toBe('not-found');
    },
  );
});

describe('the gate confirmation', () => {
  const build = { number: 122, commitSha: 'a1b2c3d4e5f6' };
  const gate = { name: 'production', environment: 'production' };

  it('names exactly what approving will do', () => {
    expect(decisionWords('Catalog', build, gate, 'approve').sentence).toBe(
      'Deploy Catalog build 122 (a1b2c3d) to production',
    );
  });

  it('names what rejecting will do', () => {
    expect(decisionWords('Catalog', build, gate, 'reject').sentence).toBe(
      'Reject Catalog build 122 (a1b2c3d): it will not be deployed to production',
    );
  });

  it('names a gate without an environment by its name', () => {
    const input = { name: 'Release sign-off', environment: null };
    expect(
      decisionWords('Catalog', { number: 5, commitSha: null }, input, 'approve').sentence,
    ).toBe('Let Catalog build 5 continue past Release sign-off');
  });

  it('puts the server answer in words', () => {
    expect(
      decisionResultWords(
        {
          outcome: 'forbidden',
          message: 'You are not a required reviewer for production.',
          gate: null,
        },
        'approve',
      ),
    ).toBe('Not allowed: You are not a required reviewer for production.');
    expect(decisionResultWords({ outcome: 'done', message: '', gate: null }, 'reject')).toBe(
      'Rejected.',
    );
  });
});

describe("status words with the provider's detail", () => {
  it('say "Unstable" for an unstable failure and colour it as its own state', () => {
    const unstable = { status: 'failed' as const, statusDetail: 'Unstable' };
    expect(statusText(unstable)).toBe('Unstable');
    expect(statusClasses(unstable)).toBe('status--failed status-detail--unstable');
  });

  it('fall back to our word and plain status class without a detail', () => {
    expect(statusText({ status: 'failed', statusDetail: null })).toBe('Failed');
    expect(statusText({ status: 'success' })).toBe('Passed');
    expect(statusClasses({ status: 'success', statusDetail: null })).toBe('status--success');
    expect(statusDetailClass('Passed with warnings')).toBe('status-detail--passed-with-warnings');
    expect(statusDetailClass('')).toBe('');
  });
});
