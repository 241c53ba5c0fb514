import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { externalUrl, isAppUrl, type RendererLocation } from '../../src/main/app-url';

const built: RendererLocation = { kind: 'file', path: '/opt/pipewatch/out/renderer/index.html' };
const devServer: RendererLocation = { kind: 'dev-server', url: 'http://localhost:5173/' };

describe('which pages are the app', () => {
  it('accepts the built page with any view in its hash, and nothing else on disk', () => {
    const page = pathToFileURL('/opt/pipewatch/out/renderer/index.html').href;

    expect(isAppUrl(page, built)).toBe(true);
    expect(isAppUrl(`${page}#/pipelines/7`, built)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', built)).toBe(false);
    expect(isAppUrl('https://gitlab.example.com/catalog/-/pipelines/121', built)).toBe(false);
  });

  it('accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', devServer)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', devServer)).toBe(false);
    expect(isAppUrl('not a url', devServer)).toBe(false);
  });
});

describe('which links open in the system browser', () => {
  it('opens a CI server’s build page', () => {
    expect(externalUrl('https://github.com/acme/catalog/actions/runs/121')).toBe(
      'https://github.com/acme/catalog/actions/runs/121',
    );
  });

  it('refuses other protocols and URLs with credentials', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://fileserver/share',
      'ms-msdt:/id',
      'https://user:pass@ci.example.com/',
      `https://ci.example.com/${'a'.repeat(5000)}`,
    ]) {
      expect(externalUrl(url), url).toBeNull();
    }
  });
});
