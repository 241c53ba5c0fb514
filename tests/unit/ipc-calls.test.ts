import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RendererLocation } from '../../src/main/app-url';
import { checkIpcCall, type IpcSender } from '../../src/main/ipc-calls';
import { OPERATION_NAMES } from '../../src/shared/contract';

const location: RendererLocation = { kind: 'file', path: '/opt/pipewatch/out/renderer/index.html' };
const appPage = `${pathToFileURL(location.path).href}#/settings`;
const trusted: IpcSender = { isAppWindow: true, isMainFrame: true, url: appPage };

describe('which IPC calls main answers', () => {
  it('answers the app’s own page with the validated input', () => {
    expect(checkIpcCall('pipewatch:builds/get', trusted, { buildId: '121' }, location)).toEqual({
      ok: true,
      name: 'builds/get',
      input: { buildId: 121 },
    });
  });

  it('has a channel for every operation of the contract', () => {
    for (const name of OPERATION_NAMES) {
      const check = checkIpcCall(`pipewatch:${name}`, trusted, {}, location);
      // Some need input; none is refused for its channel.
      if (!check.ok) expect(check.error.code).toBe('bad-request');
      if (!check.ok) expect(check.reason).not.toMatch(/unknown channel/);
    }
  });

  it.each([
    ['another window (a devtools page, a second window)', { ...trusted, isAppWindow: false }],
    ['an iframe inside the app', { ...trusted, isMainFrame: false }],
    ['a page the window navigated to', { ...trusted, url: 'https://evil.example/' }],
    ['another file on disk', { ...trusted, url: 'file:///tmp/evil.html' }],
    ['a destroyed frame', { ...trusted, url: null }],
  ])('refuses a call from %s', (_what, sender) => {
    const check = checkIpcCall('pipewatch:sources/list', sender as IpcSender, {}, location);
    expect(check).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: 'This page may not call Pipewatch.' },
    });
  });

  it.each([
    'pipewatch:shell/openExternal',
    'pipewatch:',
    'ELECTRON_BROWSER_REQUIRE',
    'pipewatch:event',
  ])('rejects the unknown channel %s', (channel) => {
    expect(checkIpcCall(channel, trusted, {}, location)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
      reason: expect.stringContaining('unknown channel'),
    });
  });

  it('rejects arguments that do not match the operation’s schema, naming the field', () => {
    const check = checkIpcCall(
      'pipewatch:gates/decide',
      trusted,
      { gateId: 3, decision: 'approve-everything', requestId: 'r-0000001' },
      location,
    );
    expect(check).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(!check.ok && check.error.message).toMatch(/^gates\/decide: decision:/);

    const notAnObject = checkIpcCall(
      'pipewatch:builds/get',
      trusted,
      'DROP TABLE builds',
      location,
    );
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('checks the sender before the input, so strangers learn nothing about the schema', () => {
    const check = checkIpcCall(
      'pipewatch:builds/get',
      { ...trusted, url: 'https://evil.example/' },
      { buildId: 'x' },
      location,
    );
    expect(check).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
