import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cctraySourceKind } from '../../src/main/sources/cctray/cctray-kind';
import { CCTRAY_STATE_FILE_NAME } from '../../src/main/sources/cctray/cctray-state';
import {
  finishedBuildKey,
  SourceError,
  type CiSource,
  type PollSnapshot,
} from '../../src/main/sources/source';
import { startFakeProvider, type FakeAnswer, type FakeProvider } from '../support/fake-provider';
import { fixtureText } from '../support/provider-fixtures';

const TOKEN = 'cc-secret-token-4711';
const SPEC_EXAMPLE = fixtureText('cctray', 'cctray.xml');
const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

let server: FakeProvider;
let folder: string;

beforeEach(async () => {
  server = await startFakeProvider();
  folder = mkdtempSync(join(tmpdir(), 'pipewatch-cctray-'));
});

afterEach(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

function source(
  options: Record<string, unknown> = { user: 'ci-bot' },
  settings: { baseUrl?: string | null; token?: string | null; now?: () => number } = {},
): CiSource {
  const baseUrl = settings.baseUrl === undefined ? `${server.url}/cc.xml` : settings.baseUrl;
  return cctraySourceKind.create({
    config: {
      id: 'team-feed',
      kind: 'cctray',
      name: 'Team feed',
      ...(baseUrl === null ? {} : { baseUrl }),
      token: { env: 'CC_TOKEN' },
      enabled: true,
      options: cctraySourceKind.optionsSchema.parse(options) as Record<string, unknown>,
    },
    stateDirectory: folder,
    token: () => (settings.token === undefined ? TOKEN : settings.token),
    now: settings.now ?? (() => NOW),
  });
}

function poll(adapter: CiSource, known: ReadonlySet<string> = new Set()): Promise<PollSnapshot> {
  return adapter.poll({ signal: new AbortController().signal, knownFinishedBuilds: known });
}

async function pollError(adapter: CiSource): Promise<SourceError> {
  const error = await poll(adapter).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).message).not.toContain(TOKEN);
  return error as SourceError;
}

function serveFeed(xml: string | (() => string), headers: Record<string, string> = {}): void {
  server.route('GET /cc.xml', () => ({
    body: typeof xml === 'function' ? xml() : xml,
    headers: { 'Content-Type': 'application/xml', ...headers },
  }));
}

describe('a cctray feed polled through the CiSource interface', () => {
  it('sends the token as the Basic-auth password of options.user and maps every project', async () => {
    serveFeed(SPEC_EXAMPLE);
    const snapshot = await poll(source({ user: 'ci-bot' }));
    const expected = `Basic ${Buffer.from(`ci-bot:${TOKEN}`).toString('base64')}`;
    expect(server.requests[0]?.headers.authorization).toBe(expected);
    expect(snapshot.pipelines.map((pipeline) => pipeline.externalId)).toEqual([
      'SvnTest',
      'HelloWorld',
    ]);
    expect(
      snapshot.builds.map((build) => [build.pipelineExternalId, build.number, build.status]),
    ).toEqual([
      ['SvnTest', 8, 'failed'],
      ['HelloWorld', 13, 'success'],
    ]);
  });

  it('sends the token as a query parameter when options.tokenParameter says so (Buildkite)', async () => {
    serveFeed(SPEC_EXAMPLE);
    await poll(source({ tokenParameter: 'access_token' }));
    expect(server.requests[0]?.query.get('access_token')).toBe(TOKEN);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('asks with If-None-Match, so an unchanged feed costs an empty 304', async () => {
    server.route('GET /cc.xml', (request): FakeAnswer =>
      request.headers['if-none-match'] === '"v1"'
        ? { status: 304, headers: { ETag: '"v1"' } }
        : { body: SPEC_EXAMPLE, headers: { ETag: '"v1"', 'Content-Type': 'text/xml' } },
    );
    const adapter = source();
    const first = await poll(adapter);
    const known = new Set(
      first.builds.map((b) => finishedBuildKey(b.pipelineExternalId, b.externalId)),
    );
    const second = await poll(adapter, known);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(second.pipelines).toHaveLength(2);
    expect(second.builds).toEqual([]);
  });

  it('remembers inferred builds across a restart instead of inventing new ones', async () => {
    let feed = SPEC_EXAMPLE;
    serveFeed(() => feed);
    const known = new Set<string>();
    const remember = (snapshot: PollSnapshot): void => {
      for (const build of snapshot.builds) {
        if (build.status !== 'running') {
          known.add(finishedBuildKey(build.pipelineExternalId, build.externalId));
        }
      }
    };
    const before = source();
    remember(await poll(before, known));
    feed = SPEC_EXAMPLE.replace(
      'activity="Sleeping"\n        lastBuildStatus="Success"',
      'activity="Building"\n        lastBuildStatus="Success"',
    );
    const running = await poll(before, known);
    expect(running.builds.map((build) => [build.externalId, build.status])).toEqual([
      ['14', 'running'],
    ]);
    expect(readFileSync(join(folder, CCTRAY_STATE_FILE_NAME), 'utf8')).toContain('"14"');

    // A new process: same state folder, a clock an hour later.
    const after = source(undefined, { now: () => NOW + 3_600_000 });
    const resumed = await poll(after, known);
    expect(
      resumed.builds.map((build) => [build.externalId, build.status, build.startedAt]),
    ).toEqual([['14', 'running', new Date(NOW).toISOString()]]);
  });

  it('starts over from the feed when the history file is corrupt', async () => {
    serveFeed(SPEC_EXAMPLE);
    writeFileSync(join(folder, CCTRAY_STATE_FILE_NAME), '{ not json');
    const snapshot = await poll(source());
    expect(snapshot.builds.map((build) => build.externalId)).toEqual(['8', '13']);
  });

  it('decodes a latin-1 feed served with its own bytes', async () => {
    const latin1 = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/xml' });
      response.end(
        Buffer.from(
          '<?xml version="1.0" encoding="ISO-8859-1"?><Projects><Project name="Caf\u00e9" activity="Sleeping" lastBuildStatus="Success" lastBuildLabel="1" lastBuildTime="2026-01-01T09:00:00Z" webUrl="http://x/"/></Projects>',
          'latin1',
        ),
      );
    });
    await new Promise<void>((resolve) => latin1.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = latin1.address() as AddressInfo;
      const snapshot = await poll(
        source({}, { baseUrl: `http://127.0.0.1:${port}/cc.xml`, token: null }),
      );
      expect(snapshot.pipelines[0]?.name).toBe('Café');
    } finally {
      await new Promise((resolve) => latin1.close(resolve));
    }
  });

  it('follows a redirect to another origin without the Authorization header', async () => {
    const other = await startFakeProvider({
      'GET /feeds/cc.xml': () => ({ body: SPEC_EXAMPLE, headers: { 'Content-Type': 'text/xml' } }),
    });
    try {
      server.route('GET /cc.xml', () => ({
        status: 302,
        headers: { Location: `${other.url}/feeds/cc.xml` },
      }));
      const snapshot = await poll(source({ user: 'ci-bot' }));
      expect(snapshot.pipelines).toHaveLength(2);
      expect(server.requests[0]?.headers.authorization).toBeDefined();
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('a cctray feed that fails, as health messages', () => {
  it('401 is an auth failure', async () => {
    server.route('GET /cc.xml', () => ({ status: 401, body: 'Unauthorized' }));
    expect((await pollError(source())).kind).toBe('auth');
  });

  it('500 is a server error', async () => {
    server.route('GET /cc.xml', () => ({ status: 500, body: 'boom' }));
    expect((await pollError(source())).kind).toBe('server');
  });

  it('429 with Retry-After is a rate limit with a time to come back', async () => {
    server.route('GET /cc.xml', () => ({ status: 429, headers: { 'Retry-After': '120' } }));
    const error = await pollError(source({ tokenParameter: 'access_token' }));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(NOW + 120_000);
  });

  it('an HTML login page is a bad response that says so, without the token in the URL', async () => {
    server.route('GET /cc.xml', () => ({
      body: '<!DOCTYPE html><html><head><title>Log in</title></head></html>',
      headers: { 'Content-Type': 'text/html' },
    }));
    const error = await pollError(source({ tokenParameter: 'access_token' }));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain(`The feed at ${server.url}/cc.xml is an HTML page ("Log in")`);
  });

  it('garbage is a bad response', async () => {
    server.route('GET /cc.xml', () => ({ body: '\u0000\u0001 garbage' }));
    expect((await pollError(source())).kind).toBe('bad-response');
  });

  it('a token without a way to send it is a configuration problem in words', async () => {
    serveFeed(SPEC_EXAMPLE);
    const error = await pollError(source({}));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('options.user');
    expect(server.requests).toHaveLength(0);
  });

  it('a source without a feed URL says which setting is missing', async () => {
    const error = await pollError(source({}, { baseUrl: null, token: null }));
    expect(error.message).toContain('no baseUrl');
  });

  it('a projects filter that matches nothing lists what the feed has', async () => {
    serveFeed(SPEC_EXAMPLE);
    const error = await pollError(source({ user: 'ci-bot', projects: ['Nope'] }));
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain('"SvnTest", "HelloWorld"');
  });

  it('has no logs and no gates, and says so', async () => {
    const adapter = source();
    const log = {
      pipelineExternalId: 'HelloWorld',
      buildExternalId: '13',
      stageExternalId: 'HelloWorld',
      stepExternalId: null,
    };
    await expect(adapter.fetchLog(log)).rejects.toThrow('carries no logs');
    const gate = { pipelineExternalId: 'HelloWorld', buildExternalId: '13', gateExternalId: 'x' };
    await expect(adapter.decideGate(gate, 'approve', '', {})).rejects.toThrow('no manual gates');
    expect(adapter.capabilities).toEqual([]);
  });

  it('refuses options that give both user and tokenParameter, naming the field', () => {
    const result = cctraySourceKind.optionsSchema.safeParse({ user: 'a', tokenParameter: 'b' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['tokenParameter']);
  });
});
