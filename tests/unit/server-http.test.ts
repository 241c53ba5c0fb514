import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/contract';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http';
import { CONTENT_SECURITY_POLICY } from '../../src/main/server/security-headers';
import { SourceError } from '../../src/main/sources/source';
import {
  catalogBuild,
  catalogPipeline,
  catalogSummary,
  createFakeCore,
  rawRequest,
  type FakeCore,
} from './server-fake-core';

let server: RunningHttpServer | null = null;
const logLines: string[] = [];

async function serve(core: FakeCore): Promise<string> {
  logLines.length = 0;
  server = await startHttpServer({
    core,
    host: '127.0.0.1',
    port: 0,
    token: null,
    staticDir: null,
    log: (line) => logLines.push(line),
  });
  return server.url;
}

afterEach(async () => {
  await server?.close();
  server = null;
});

const json = { 'Content-Type': 'application/json' };

describe('serve mode API', () => {
  it('lists pipelines with their latest build, asking the core for 5 builds by default', async () => {
    const core = createFakeCore({ 'pipelines/list': () => Promise.resolve([catalogSummary()]) });
    const url = await serve(core);

    const response = await fetch(`${url}api/pipelines`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const pipelines = (await response.json()) as ReturnType<typeof catalogSummary>[];
    expect(pipelines[0]?.recentBuilds[0]?.number).toBe(121);
    expect(core.calls).toEqual([{ name: 'pipelines/list', input: { builds: 5 } }]);
  });

  it('turns path parameters and the query string into validated input', async () => {
    const core = createFakeCore({ 'builds/list': () => Promise.resolve([]) });
    const url = await serve(core);

    const response = await fetch(`${url}api/pipelines/7/builds?limit=10&branch=main`);

    expect(response.status).toBe(200);
    expect(core.calls[0]?.input).toEqual({ pipelineId: 7, limit: 10, branch: 'main' });
  });

  it('refuses a pipeline id that is not a number with 400 naming the field', async () => {
    const core = createFakeCore({ 'builds/list': () => Promise.resolve([]) });
    const url = await serve(core);

    const response = await fetch(`${url}api/pipelines/catalog/builds`);

    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('bad-request');
    expect(body.message).toContain('pipelineId');
    expect(core.calls).toEqual([]);
  });

  it('answers 404 for an unknown endpoint and for a build the core does not have', async () => {
    const core = createFakeCore({
      'builds/get': () => Promise.reject(new ApiError('not-found', 'There is no build 999.')),
    });
    const url = await serve(core);

    const unknown = await fetch(`${url}api/pipelines/7/deploy`);
    const missing = await fetch(`${url}api/builds/999`);

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not-found' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'not-found', message: 'There is no build 999.' });
  });

  it('answers 405 with Allow when an endpoint is called with the wrong method', async () => {
    const url = await serve(createFakeCore());

    const response = await fetch(`${url}api/gates/3/decide`);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('approves a gate from a JSON body, taking the gate id from the path', async () => {
    const core = createFakeCore({
      'gates/decide': () => Promise.resolve({ outcome: 'done', message: 'Approved.', gate: null }),
    });
    const url = await serve(core);

    const response = await fetch(`${url}api/gates/3/decide`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        gateId: 99,
        decision: 'approve',
        comment: 'ok',
        requestId: 'click-0001',
      }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: 'done', message: 'Approved.', gate: null });
    expect(core.calls[0]?.input).toEqual({
      gateId: 3,
      decision: 'approve',
      comment: 'ok',
      requestId: 'click-0001',
      fields: {},
    });
  });

  it('accepts an empty JSON POST for operations without a body', async () => {
    const core = createFakeCore({ 'sources/refresh': () => Promise.resolve({ queued: true }) });
    const url = await serve(core);

    const response = await fetch(`${url}api/sources/1/refresh`, { method: 'POST', headers: json });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ queued: true });
  });

  it('refuses a POST that is not application/json with 415, so plain HTML forms cannot post', async () => {
    const core = createFakeCore({ 'sources/refresh': () => Promise.resolve({ queued: true }) });
    const url = await serve(core);

    const response = await fetch(`${url}api/sources/1/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });

    expect(response.status).toBe(415);
    expect(core.calls).toEqual([]);
  });

  it('refuses a cross-origin POST with 403 and accepts one from its own origin', async () => {
    const core = createFakeCore({ 'sources/refresh': () => Promise.resolve({ queued: true }) });
    const url = await serve(core);
    const host = new URL(url).host;

    const foreign = await rawRequest(url, {
      method: 'POST',
      path: '/api/sources/1/refresh',
      headers: { ...json, Origin: 'https://evil.example' },
      body: '{}',
    });
    const own = await rawRequest(url, {
      method: 'POST',
      path: '/api/sources/1/refresh',
      headers: { ...json, Origin: `http://${host}` },
      body: '{}',
    });

    expect(foreign.status).toBe(403);
    expect(own.status).toBe(200);
    expect(core.calls).toHaveLength(1);
  });

  it('refuses requests addressed to a foreign host name (DNS rebinding)', async () => {
    const core = createFakeCore({ 'pipelines/list': () => Promise.resolve([]) });
    const url = await serve(core);

    const rebound = await rawRequest(url, {
      path: '/api/pipelines',
      headers: { Host: `evil.example:${new URL(url).port}` },
    });
    const local = await rawRequest(url, {
      path: '/api/pipelines',
      headers: { Host: `localhost:${new URL(url).port}` },
    });

    expect(rebound.status).toBe(403);
    expect(local.status).toBe(200);
  });

  it('refuses bodies over 1 MiB with 413 and malformed JSON with 400', async () => {
    const core = createFakeCore({
      'gates/decide': () => Promise.resolve({ outcome: 'done', message: 'Approved.', gate: null }),
    });
    const url = await serve(core);
    const huge = JSON.stringify({ decision: 'approve', comment: 'x'.repeat(1_100_000) });

    const tooLarge = await fetch(`${url}api/gates/3/decide`, {
      method: 'POST',
      headers: json,
      body: huge,
    });
    const malformed = await fetch(`${url}api/gates/3/decide`, {
      method: 'POST',
      headers: json,
      body: '{"decision": ',
    });

    expect(tooLarge.status).toBe(413);
    expect(malformed.status).toBe(400);
    expect(core.calls).toEqual([]);
  });

  it('maps the core’s conflict and source errors to 409 and 502', async () => {
    const core = createFakeCore({
      'builds/get': () => Promise.reject(new ApiError('conflict', 'The gate was decided already.')),
      'logs/get': () =>
        Promise.reject(new SourceError('unreachable', 'gitlab.example.com did not answer.')),
    });
    const url = await serve(core);

    const conflict = await fetch(`${url}api/builds/121`);
    const sourceFailure = await fetch(`${url}api/steps/4/log`);

    expect(conflict.status).toBe(409);
    expect(sourceFailure.status).toBe(502);
    expect(await sourceFailure.json()).toEqual({
      code: 'source-error',
      message: 'gitlab.example.com did not answer.',
    });
  });

  it('answers 500 without the error message or stack when a handler throws, and logs it', async () => {
    const core = createFakeCore({
      'builds/get': () => Promise.reject(new Error('SQLITE_CORRUPT at /home/ada/secret-path')),
    });
    const url = await serve(core);

    const response = await fetch(`${url}api/builds/121?token=leaky`);
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ code: 'internal' });
    expect(text).not.toContain('SQLITE_CORRUPT');
    expect(text).not.toContain('secret-path');
    expect(text).not.toMatch(/at .*\.ts/);
    expect(logLines.join('\n')).toContain('SQLITE_CORRUPT');
    expect(logLines.join('\n')).not.toContain('leaky');
  });

  it('reports health with the version', async () => {
    const url = await serve(createFakeCore());

    const response = await fetch(`${url}api/health`);

    expect(await response.json()).toEqual({ ok: true, version: expect.any(String) });
  });

  it('sends the security headers on successes and errors alike', async () => {
    const core = createFakeCore({
      'builds/get': () =>
        Promise.resolve({
          build: catalogBuild(),
          pipeline: catalogPipeline(),
          stages: [],
          gates: [],
        }),
    });
    const url = await serve(core);

    for (const path of ['api/builds/121', 'api/nothing-here', 'index.html']) {
      const response = await fetch(`${url}${path}`);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('closes while a request is still waiting for the core', async () => {
    let release: () => void = () => undefined;
    const core = createFakeCore({
      'gates/inbox': () => new Promise((resolve) => (release = () => resolve([]))),
    });
    const url = await serve(core);

    const pending = fetch(`${url}api/gates`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server?.close();
    release();

    expect((await pending).status).toBe(200);
    await closed;
  });
});
