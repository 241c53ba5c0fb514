import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  isAllowedHostHeader,
  isLoopbackHost,
  isSameOriginRequest,
  secretsMatch,
} from '../../src/main/server/auth';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http';
import { catalogSummary, createFakeCore, rawRequest } from './server-fake-core';

const TOKEN = 'wall-display-7f3a9c';
let staticDir = '';
let server: RunningHttpServer | null = null;

beforeAll(() => {
  staticDir = mkdtempSync(join(tmpdir(), 'pipewatch-auth-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Pipewatch</title>');
});
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serveWithToken(): Promise<string> {
  const core = createFakeCore({ 'pipelines/list': () => Promise.resolve([catalogSummary()]) });
  server = await startHttpServer({
    core,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir,
    log: () => undefined,
  });
  return server.url;
}

describe('serve mode with an access token', () => {
  it('answers 401 to API and page requests without the token or with a wrong one', async () => {
    const url = await serveWithToken();

    const withoutToken = await fetch(`${url}api/pipelines`);
    const page = await fetch(url);
    const wrongHeader = await fetch(`${url}api/pipelines`, {
      headers: { Authorization: 'Bearer wall-display-7f3a9d' },
    });
    const wrongQuery = await fetch(`${url}api/pipelines?token=nope`);

    for (const response of [withoutToken, page, wrongHeader, wrongQuery]) {
      expect(response.status).toBe(401);
    }
    const body = await withoutToken.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'unauthorized' });
    expect(body).not.toContain(TOKEN);
  });

  it('lets in a request carrying the token as a Bearer header', async () => {
    const url = await serveWithToken();

    const response = await fetch(`${url}api/pipelines`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(1);
  });

  it('lets in ?token= (EventSource cannot send headers) without passing it to the core', async () => {
    const core = createFakeCore({ 'builds/list': () => Promise.resolve([]) });
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      staticDir: null,
    });

    const response = await fetch(`${server.url}api/pipelines/7/builds?token=${TOKEN}`);

    expect(response.status).toBe(200);
    expect(core.calls[0]?.input).not.toHaveProperty('token');
  });

  it('gives the browser that opened the printed URL a session cookie for the page’s own requests', async () => {
    const url = await serveWithToken();

    const opened = await fetch(`${url}?token=${TOKEN}`);
    const cookie = opened.headers.get('set-cookie') ?? '';
    const asset = await fetch(`${url}api/pipelines`, {
      headers: { Cookie: cookie.split(';')[0] ?? '' },
    });
    const forged = await fetch(`${url}api/pipelines`, {
      headers: { Cookie: `${cookie.split('=')[0]}=${TOKEN}` },
    });

    expect(opened.status).toBe(200);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    expect(asset.status).toBe(200);
    expect(forged.status).toBe(401);
  });

  it('still requires the token from a loopback Host', async () => {
    const url = await serveWithToken();

    const response = await rawRequest(url, {
      path: '/api/pipelines',
      headers: { Host: `localhost:${new URL(url).port}` },
    });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="pipewatch"');
  });
});

describe('access rules', () => {
  it('knows which hosts only this machine can reach', () => {
    expect(['127.0.0.1', '::1', '[::1]', 'localhost', '127.1.2.3'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '192.168.1.20', 'pipewatch.internal'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('compares tokens exactly', () => {
    expect(secretsMatch(TOKEN, TOKEN)).toBe(true);
    expect(secretsMatch(TOKEN, `${TOKEN} `)).toBe(false);
    expect(secretsMatch(TOKEN, '')).toBe(false);
  });

  it('accepts a missing Origin or the server’s own, and nothing else', () => {
    expect(isSameOriginRequest(undefined, '127.0.0.1:8484')).toBe(true);
    expect(isSameOriginRequest('http://127.0.0.1:8484', '127.0.0.1:8484')).toBe(true);
    expect(isSameOriginRequest('http://127.0.0.1:9999', '127.0.0.1:8484')).toBe(false);
    expect(isSameOriginRequest('null', '127.0.0.1:8484')).toBe(false);
    expect(isSameOriginRequest('http://127.0.0.1:8484', undefined)).toBe(false);
  });

  it('checks Host names only when bound to loopback', () => {
    expect(isAllowedHostHeader('[::1]:8484', '::1')).toBe(true);
    expect(isAllowedHostHeader('evil.example:8484', '127.0.0.1')).toBe(false);
    expect(isAllowedHostHeader('radiator.office:8484', '0.0.0.0')).toBe(true);
  });
});
