import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithubAccount } from '../support/fake-github-account';
import type { FakeProvider } from '../support/fake-provider';
import { startServe, type ServeProcess } from '../support/serve-process';

/**
 * docs/security.md, "Secrets", end to end: the built serve mode with a known token in an
 * owner-only secrets file and a GitHub source against a fake GitHub on loopback. After using
 * every API a client has — including adding a source with a second token typed into Settings
 * and a server that echoes the token back in its error — neither token is in any file of the
 * data folder, any line Pipewatch printed, or any API answer.
 */

const TOKEN = 'ghp_e2eSecretsFileToken0123456789abcdefAB';
const TYPED_TOKEN = 'ghp_e2eTypedIntoSettings0123456789abcdef';

let workspace: string;
let github: FakeProvider;
let serve: ServeProcess;
const answers: string[] = [];

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, serve.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  answers.push(text);
  return JSON.parse(text) as unknown;
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pipewatch-secrets-e2e-'));
  github = await startFakeGithubAccount(TOKEN);
  // A hostile or careless server that repeats the credentials it was sent in its error.
  github.route('GET /api/v3/repos/octo-org/echo/actions/workflows', (request) => ({
    status: 403,
    body: { message: `Token ${String(request.headers.authorization)} may not read octo-org/echo` },
  }));
  const secretsFile = join(workspace, 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ octo: TOKEN }), { mode: 0o600 });
  serve = await startServe(
    {
      sources: [
        {
          id: 'octo',
          kind: 'github',
          name: 'Octo GitHub',
          baseUrl: `${github.url}/api/v3`,
          token: { secret: 'octo' },
          options: { repositories: ['octo-org/octo-repo'] },
        },
        {
          id: 'echo',
          kind: 'github',
          name: 'Echo GitHub',
          baseUrl: `${github.url}/api/v3`,
          token: { secret: 'octo' },
          options: { repositories: ['octo-org/echo'] },
        },
      ],
      polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
    },
    ['--secrets-file', secretsFile],
    mkdtempSync(join(workspace, 'data-')),
  );
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await github?.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('a token in the secrets file', () => {
  it('polls with it, and shows a server’s echo of it only redacted', async () => {
    const echo = await until(async () => {
      const sources = (await call('GET', '/api/sources')) as Array<{
        key: string;
        health: { state: string; message: string | null };
      }>;
      const found = sources.find((source) => source.key === 'echo');
      return found && found.health.state !== 'pending' ? found : undefined;
    });
    expect(echo.health.message).toContain('may not read octo-org/echo');
    expect(echo.health.message).not.toContain(TOKEN);

    const pipelines = await until(async () => {
      const list = (await call('GET', '/api/pipelines')) as Array<{
        sourceName: string;
        recentBuilds: Array<{ id: number }>;
      }>;
      const octo = list.filter((pipeline) => pipeline.sourceName === 'Octo GitHub');
      return octo.some((pipeline) => pipeline.recentBuilds.length > 0) ? octo : undefined;
    });
    const build = pipelines.flatMap((pipeline) => pipeline.recentBuilds)[0];
    await call('GET', `/api/builds/${build?.id}`);
    expect(
      github.requests.some((request) => request.headers.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
  });

  it('never reaches an answer, a file of the data folder or a printed line', async () => {
    const draft = {
      key: 'typed',
      kind: 'github',
      name: 'Typed token',
      baseUrl: `${github.url}/api/v3`,
      options: { repositories: ['octo-org/octo-repo'] },
    };
    await call('GET', '/api/settings/sources');
    await call('POST', '/api/settings/sources/test', { draft: { ...draft, key: 'octo' } });
    await call('POST', '/api/settings/sources/test', {
      draft: { ...draft, token: { kind: 'secret', value: `${TYPED_TOKEN}-wrong` } },
    });
    await call('POST', '/api/settings/sources/pipelines', {
      draft: { ...draft, token: { kind: 'secret', value: TYPED_TOKEN } },
    });
    const saved = (await call('POST', '/api/settings/sources/save', {
      draft: { ...draft, token: { kind: 'secret', value: TYPED_TOKEN } },
      isNew: true,
    })) as { token: unknown };
    expect(saved.token).toEqual({ kind: 'secret', id: 'typed', isStored: true });
    // A bad save names the field, not the value.
    await call('POST', '/api/settings/sources/save', {
      draft: { ...draft, key: 'Bad Key', token: { kind: 'secret', value: TYPED_TOKEN } },
      isNew: true,
    });
    await call('GET', '/api/gates');
    await call('GET', '/api/audit');
    await until(async () => {
      const sources = (await call('GET', '/api/sources')) as Array<{
        key: string;
        health: { state: string };
      }>;
      return sources.find((source) => source.key === 'typed' && source.health.state !== 'pending');
    });

    const events = await fetch(new URL('/api/events', serve.url));
    const reader = events.body?.getReader();
    const chunk = await Promise.race([
      reader?.read(),
      new Promise((resolve) => setTimeout(resolve, 1500)),
    ]);
    await reader?.cancel();
    answers.push(JSON.stringify(chunk ?? ''));

    await serve.stop();
    const leaks: string[] = [];
    for (const file of filesUnder(serve.dataDir)) {
      const bytes = readFileSync(file);
      if (bytes.includes(TOKEN) || bytes.includes(TYPED_TOKEN)) leaks.push(file);
    }
    expect(leaks).toEqual([]);
    expect(serve.output()).not.toContain(TOKEN);
    expect(serve.output()).not.toContain(TYPED_TOKEN);
    for (const answer of answers) {
      expect(answer).not.toContain(TOKEN);
      expect(answer).not.toContain(TYPED_TOKEN);
    }
    // The typed token went to the secrets file, which is owner-only.
    const secrets = JSON.parse(readFileSync(join(workspace, 'secrets.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(secrets['typed']).toBe(TYPED_TOKEN);
    if (process.platform !== 'win32') {
      expect(statSync(join(workspace, 'secrets.json')).mode & 0o777).toBe(0o600);
    }
  }, 60_000);
});
