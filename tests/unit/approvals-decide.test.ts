import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGateDecider } from '../../src/main/approvals/decide';
import { SourceError, type CiSource, type GateReading } from '../../src/main/sources/source';
import { openStore, type Store } from '../../src/main/store/store';
import {
  WAITING_FOR_PRODUCTION,
  catalogBuild,
  catalogSnapshot,
  temporaryFolder,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let store: Store;
let gateId: number;

/** A CI server whose gate reading and decision answers the test sets. */
function fakeServer() {
  const server = {
    reading: { state: 'waiting', canDecide: true, decidedBy: null } as GateReading,
    answers: [] as Array<() => { actor: string; message: string }>,
    decisions: 0,
  };
  const source = {
    kind: 'github',
    capabilities: [],
    poll: async () => ({ pipelines: [], builds: [] }),
    fetchLog: async () => ({ text: '', complete: true }),
    readGate: async () => server.reading,
    decideGate: async () => {
      server.decisions += 1;
      const answer = server.answers.shift();
      if (!answer) throw new Error('no answer prepared');
      return answer();
    },
  } satisfies CiSource;
  return { server, source };
}

function decider(source: CiSource) {
  return createGateDecider({
    store,
    sourceFor: () => source,
    refresh: () => undefined,
    now: () => new Date('2025-03-01T10:00:00Z'),
  });
}

const request = (requestId: string, decision: 'approve' | 'reject' = 'approve') => ({
  gateId,
  decision,
  comment: 'p99 is fine',
  requestId,
  fields: {},
});

beforeEach(() => {
  folder = temporaryFolder();
  store = openStore(join(folder.path, 'pipewatch.db'));
  const sourceId = store.upsertSource({
    key: 'catalog-ci',
    kind: 'github',
    name: 'Catalog CI',
    baseUrl: null,
    isDemo: false,
  });
  store.applySnapshot(sourceId, catalogSnapshot([catalogBuild(122, WAITING_FOR_PRODUCTION)]), 'p1');
  gateId = store.listInbox()[0]!.gate.id;
});

afterEach(() => {
  store.close();
  folder.cleanup();
});

describe('deciding a gate', () => {
  it('records a provider error in words, and a retry of the same click acts once it succeeds', async () => {
    const { server, source } = fakeServer();
    server.answers.push(
      () => {
        throw new SourceError('server', 'GitHub answered 502 Bad Gateway; try again.');
      },
      () => ({ actor: 'ana', message: 'Approved deployment to production.' }),
    );
    const decide = decider(source);
    const failed = await decide.decide(request('click-0001'));
    expect(failed).toMatchObject({
      outcome: 'error',
      message: 'GitHub answered 502 Bad Gateway; try again.',
    });
    const retried = await decide.decide(request('click-0001'));
    expect(retried.outcome).toBe('done');
    await decide.decide(request('click-0001'));
    expect(server.decisions).toBe(2);
    expect(store.listAudit(10).map((entry) => [entry.outcome, entry.actor])).toEqual([
      ['done', 'ana'],
      ['error', 'unknown'],
    ]);
  });

  it("names the token's identity on a refused attempt once the server has told it", async () => {
    const { server, source } = fakeServer();
    server.answers.push(() => ({ actor: 'ana', message: 'Approved.' }));
    const decide = decider(source);
    await decide.decide(request('click-0001'));
    server.reading = { state: 'approved', canDecide: true, decidedBy: 'bob' };
    const late = await decide.decide(request('click-0002'));
    expect(late).toMatchObject({
      outcome: 'already-decided',
      message: 'Nothing was done: the gate Deploy to production was already approved by bob.',
    });
    expect(store.listAudit(1)[0]?.actor).toBe('ana');
  });

  it('refuses without acting when the provider says the token may not decide', async () => {
    const { server, source } = fakeServer();
    server.reading = { state: 'waiting', canDecide: false, decidedBy: null };
    const result = await decider(source).decide(request('click-0001'));
    expect(result.outcome).toBe('forbidden');
    expect(result.message).toBe(
      'You may not decide this gate: you are not a required reviewer for production.',
    );
    expect(server.decisions).toBe(0);
  });

  it('does nothing on an expired gate and says so', async () => {
    const { server, source } = fakeServer();
    server.reading = { state: 'expired', canDecide: true, decidedBy: null };
    const result = await decider(source).decide(request('click-0001', 'reject'));
    expect(result).toMatchObject({ outcome: 'expired' });
    expect(server.decisions).toBe(0);
    expect(store.listAudit(10)).toEqual([
      expect.objectContaining({ outcome: 'expired', decision: 'reject', buildNumber: 122 }),
    ]);
  });
});
