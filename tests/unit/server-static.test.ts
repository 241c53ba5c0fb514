import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http';
import { CONTENT_SECURITY_POLICY } from '../../src/main/server/security-headers';
import { createFakeCore, rawRequest } from './server-fake-core';

let workspace = '';
let rendererDir = '';
let server: RunningHttpServer | null = null;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pipewatch-static-'));
  rendererDir = join(workspace, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Pipewatch</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-4f2a.js'), 'console.log("pipewatch")');
  writeFileSync(join(rendererDir, 'assets', 'index-4f2a.css'), 'body { margin: 0 }');
  writeFileSync(join(workspace, 'secret.txt'), 'the config next to the renderer');
  symlinkSync(join(workspace, 'secret.txt'), join(rendererDir, 'assets', 'linked.txt'));
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serveRenderer(): Promise<string> {
  server = await startHttpServer({
    core: createFakeCore(),
    host: '127.0.0.1',
    port: 0,
    token: null,
    staticDir: rendererDir,
  });
  return server.url;
}

describe('serving the built renderer', () => {
  it('serves index.html for / with the CSP header', async () => {
    const url = await serveRenderer();

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<title>Pipewatch</title>');
  });

  it('serves scripts and styles with their content types, hashed assets as immutable', async () => {
    const url = await serveRenderer();

    const script = await fetch(`${url}assets/index-4f2a.js`);
    const style = await fetch(`${url}assets/index-4f2a.css`);

    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe('console.log("pipewatch")');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await style.text()).toBe('body { margin: 0 }');
  });

  it('serves index.html for a client-side view and 404 for a missing file', async () => {
    const url = await serveRenderer();

    const view = await fetch(`${url}pipelines/7`);
    const missing = await fetch(`${url}assets/missing.js`);

    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(missing.status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    const url = await serveRenderer();

    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/linked.txt',
      '/index.html%00.js',
    ];
    for (const path of attempts) {
      const response = await rawRequest(url, { path });
      expect(response.text, path).not.toContain('the config next to the renderer');
      expect([400, 404], path).toContain(response.status);
      expect(response.headers['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers HEAD with headers only and refuses other methods on pages', async () => {
    const url = await serveRenderer();

    const head = await rawRequest(url, { method: 'HEAD', path: '/assets/index-4f2a.js' });
    const put = await rawRequest(url, { method: 'PUT', path: '/index.html', body: 'x' });

    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("pipewatch")'.length));
    expect(head.text).toBe('');
    expect(put.status).toBe(405);
  });

  it('explains that the UI is not built when there is no renderer folder', async () => {
    server = await startHttpServer({
      core: createFakeCore(),
      host: '127.0.0.1',
      port: 0,
      token: null,
      staticDir: null,
    });

    const response = await fetch(server.url);

    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toContain(
      'electron-vite build',
    );
  });
});
