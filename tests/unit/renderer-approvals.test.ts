import { describe, expect, it } from 'vitest';
import {
  fieldsToSend,
  initialFieldValues,
  outcomeExplanation,
  validateDecisionForm,
} from '../../src/renderer/src/format/decision-form';
import {
  commentRule,
  evidenceOf,
  gateDeadline,
  isDeadlineNear,
  mayDecideWords,
  timeLeftWords,
} from '../../src/renderer/src/format/gate-facts';
import { decisionResultWords } from '../../src/renderer/src/format/decision-words';
import { shouldShowInBrowser } from '../../src/renderer/src/notifications/browser-notifications';
import { hrefFor, parseHashRoute } from '../../src/renderer/src/routing/hash-route';
import { titleWithCount } from '../../src/renderer/src/views/inbox/approvals-nav';
import { AUDIT_OUTCOMES, type GateField } from '../../src/shared/model';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function field(overrides: Partial<GateField>): GateField {
  return {
    name: 'version',
    label: 'Version',
    kind: 'text',
    required: false,
    options: [],
    defaultValue: null,
    hint: null,
    ...overrides,
  };
}

describe('who may decide, in words', () => {
  it('says yes, no, or honestly that the provider does not say', () => {
    expect(mayDecideWords(true).text).toBe('You can approve');
    expect(mayDecideWords(false).text).toBe('You are not a reviewer');
    expect(mayDecideWords(null).text).toBe('Unknown — the provider does not say');
  });
});

describe('when a waiting gate expires', () => {
  const since = '2025-03-01T10:00:00Z';
  const start = Date.parse(since);

  it("uses the provider's deadline where it gives one", () => {
    expect(
      gateDeadline({ waitingSince: since, expiresAt: '2025-03-02T10:00:00Z' }, 'demo'),
    ).toEqual({ at: start + DAY, source: 'provider' });
  });

  it('counts 30 days from the start of the wait for GitHub, which gives no deadline', () => {
    expect(gateDeadline({ waitingSince: since, expiresAt: null }, 'github')).toEqual({
      at: start + 30 * DAY,
      source: 'github-30-days',
    });
    expect(gateDeadline({ waitingSince: since, expiresAt: null }, 'jenkins')).toBeNull();
    expect(gateDeadline({ waitingSince: null, expiresAt: null }, 'github')).toBeNull();
  });

  it('counts down in the largest units that matter', () => {
    const deadline = start + 30 * DAY;
    expect(timeLeftWords(deadline, start)).toBe('expires in 30d 0h');
    expect(timeLeftWords(deadline, deadline - 5 * HOUR - 4 * 60_000)).toBe('expires in 5h 04m');
    expect(timeLeftWords(deadline, deadline - 130_000)).toBe('expires in 2m 10s');
    expect(timeLeftWords(deadline, deadline - 9_000)).toBe('expires in 9s');
    expect(timeLeftWords(deadline, deadline)).toBe('expired');
    expect(isDeadlineNear(deadline, deadline - 23 * HOUR)).toBe(false);
    expect(isDeadlineNear(deadline, deadline - 2 * HOUR + 1)).toBe(true);
  });
});

describe('the evidence for a decision', () => {
  it('lists the passed stages in pipeline order with their durations', () => {
    const stage = (
      name: string,
      position: number,
      status: 'success' | 'failed',
      seconds: number,
    ) => ({
      name,
      position,
      status,
      startedAt: '2025-03-01T10:00:00Z',
      finishedAt: new Date(Date.parse('2025-03-01T10:00:00Z') + seconds * 1000).toISOString(),
    });
    expect(
      evidenceOf([
        stage('fast-tests', 1, 'success', 252),
        stage('compile', 0, 'success', 62),
        stage('uat', 4, 'failed', 10),
        { ...stage('slow-tests', 2, 'success', 0), finishedAt: null },
      ]),
    ).toEqual([
      { name: 'compile', duration: '1m02s' },
      { name: 'fast-tests', duration: '4m12s' },
      { name: 'slow-tests', duration: null },
    ]);
  });
});

describe('the decision form', () => {
  it('requires a comment for GitHub, which rejects a review without one', () => {
    expect(commentRule('github')).toEqual({
      required: true,
      reason: 'GitHub requires a comment with every deployment review',
    });
    expect(commentRule('gitlab').required).toBe(false);
    expect(commentRule(null).required).toBe(false);
    const errors = (comment: string) =>
      validateDecisionForm({
        decision: 'reject',
        fields: [],
        values: {},
        comment,
        commentRequired: true,
      });
    expect(errors('  ')).toEqual({ comment: 'A comment is required.' });
    expect(errors('p99 too high')).toEqual({});
  });

  it('starts fields at their defaults, unchecked, or at the first option of a required select', () => {
    expect(
      initialFieldValues([
        field({ name: 'version', defaultValue: '1.4.2' }),
        field({ name: 'notes', kind: 'multiline' }),
        field({ name: 'force', kind: 'boolean' }),
        field({ name: 'region', kind: 'select', required: true, options: ['eu', 'us'] }),
        field({ name: 'canary', kind: 'select', options: ['5%', '50%'] }),
      ]),
    ).toEqual({ version: '1.4.2', notes: '', force: 'false', region: 'eu', canary: '' });
  });

  it('checks required Jenkins parameters and Buildkite fields as the person types', () => {
    const fields = [
      field({ name: 'version', required: true }),
      field({ name: 'secret', kind: 'password', required: true, label: 'Deploy key' }),
      field({ name: 'force', kind: 'boolean', required: true }),
      field({ name: 'region', kind: 'select', options: ['eu', 'us'] }),
    ];
    const validate = (values: Record<string, string>) =>
      validateDecisionForm({
        decision: 'approve',
        fields,
        values,
        comment: '',
        commentRequired: false,
      });
    expect(validate({ force: 'false' })).toEqual({
      version: 'Version is required.',
      secret: 'Deploy key is required.',
    });
    expect(validate({ version: '1.4.2', secret: 'k', force: 'false', region: 'mars' })).toEqual({
      region: 'Choose one of eu, us.',
    });
    expect(validate({ version: '1.4.2', secret: 'k', force: 'true', region: '' })).toEqual({});
    // A rejection asks for no fields at all.
    expect(
      validateDecisionForm({
        decision: 'reject',
        fields,
        values: {},
        comment: '',
        commentRequired: false,
      }),
    ).toEqual({});
  });

  it('sends the field values with an approval and none with a rejection', () => {
    const fields = [field({ name: 'version' }), field({ name: 'force', kind: 'boolean' })];
    expect(fieldsToSend('approve', fields, { version: '1.4.2' })).toEqual({
      version: '1.4.2',
      force: '',
    });
    expect(fieldsToSend('reject', fields, { version: '1.4.2' })).toEqual({});
  });

  it('explains every outcome but success in plain words', () => {
    expect(outcomeExplanation('done')).toBeNull();
    expect(outcomeExplanation('already-decided')).toMatch(/someone else decided/);
    expect(outcomeExplanation('expired')).toMatch(/expired/);
    expect(outcomeExplanation('forbidden')).toMatch(/does not let the identity of your token/);
    for (const outcome of AUDIT_OUTCOMES.filter((candidate) => candidate !== 'done')) {
      expect(outcomeExplanation(outcome)).toMatch(/^(Nothing was changed|The CI server)/);
    }
  });
});

describe('the inbox and audit routes and the title', () => {
  it.each([
    ['#/inbox', { view: 'inbox' }],
    ['#/audit', { view: 'audit' }],
  ])('%s opens %j', (hash, route) => {
    expect(parseHashRoute(hash)).toEqual(route);
    expect(hrefFor(parseHashRoute(hash))).toBe(hash);
  });

  it('puts the number of waiting gates in front of the window title', () => {
    expect(titleWithCount(2)).toBe('(2) Pipewatch');
    expect(titleWithCount(0)).toBe('Pipewatch');
    expect(titleWithCount(null)).toBe('Pipewatch');
  });
});

describe('browser notifications', () => {
  it('show only after opting in, with permission, while the page is not in front', () => {
    const base = { optedIn: true, permission: 'granted' as const, pageVisible: false };
    expect(shouldShowInBrowser(base)).toBe(true);
    expect(shouldShowInBrowser({ ...base, optedIn: false })).toBe(false);
    expect(shouldShowInBrowser({ ...base, permission: 'default' })).toBe(false);
    expect(shouldShowInBrowser({ ...base, permission: 'denied' })).toBe(false);
    expect(shouldShowInBrowser({ ...base, permission: 'unsupported' })).toBe(false);
    expect(shouldShowInBrowser({ ...base, pageVisible: true })).toBe(false);
  });
});

describe("the server's answer", () => {
  it('does not repeat the word the server already led with', () => {
    const result = {
      outcome: 'done' as const,
      message: 'Approved: deploy of build 122 started',
      gate: null,
    };
    expect(decisionResultWords(result, 'approve')).toBe('Approved: deploy of build 122 started');
    expect(decisionResultWords({ ...result, message: 'Deployment started' }, 'approve')).toBe(
      'Approved: Deployment started',
    );
  });
});
