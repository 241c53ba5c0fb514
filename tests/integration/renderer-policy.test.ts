import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/main/server/security-headers';

/**
 * docs/security.md, "Renderer": the page that ships (the build in out/renderer, run by
 * `npm test` before this folder) runs only its own scripts. Serve mode sends the same policy as
 * a header (tests/unit/server-http.test.ts checks every response carries SECURITY_HEADERS).
 */
const built = join(__dirname, '..', '..', 'out', 'renderer', 'index.html');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name ?? '', values]),
  );
}

describe.runIf(existsSync(built))('the built renderer page', () => {
  const html = existsSync(built) ? readFileSync(built, 'utf8') : '';
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';

  it('declares a policy without eval, inline scripts or remote origins', () => {
    const policy = directives(meta);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(meta).not.toContain('unsafe-eval');
    expect(meta).not.toMatch(/https?:/);
  });

  it('has no inline script and loads nothing from elsewhere', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\.?\/assets\//);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('is the policy serve mode and the Electron shell send as a header, plus frame-ancestors', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    for (const [name, values] of directives(meta)) expect(header.get(name)).toEqual(values);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});
