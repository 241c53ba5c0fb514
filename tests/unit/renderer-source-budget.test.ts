import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/shared/model';
import { budgetWords } from '../../src/renderer/src/format/source-budget-words';

const base: Source = {
  id: 1,
  key: 'team-github',
  kind: 'github',
  name: 'Team GitHub',
  baseUrl: null,
  isDemo: false,
  enabled: true,
  capabilities: [],
  rateLimit: null,
  minimumIntervalSeconds: null,
  health: {
    state: 'ok',
    message: null,
    lastPollAt: null,
    lastSuccessAt: null,
    nextPollAt: null,
    backoffUntil: null,
    consecutiveFailures: 0,
  },
};

describe("a source's budget in words", () => {
  it('says how many requests are left of an hourly budget and when it resets', () => {
    const words = budgetWords(
      { ...base, rateLimit: { remaining: 4812, limit: 5000, resetAt: '2026-11-30T14:05:00Z' } },
      () => '14:05',
    );
    expect(words).toEqual(['4,812 of 5,000 requests left (resets 14:05)']);
  });

  it("says how often a source may poll to share an organization's budget", () => {
    expect(
      budgetWords({ ...base, kind: 'buildkite', minimumIntervalSeconds: 2.4 }, String),
    ).toEqual(["polls at most every 3 s to share the organization's budget"]);
  });

  it('says nothing when the provider reports no budget', () => {
    expect(budgetWords(base, String)).toEqual([]);
  });
});
