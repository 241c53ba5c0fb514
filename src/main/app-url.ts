import { pathToFileURL } from 'node:url';

/**
 * Which URLs are the app itself and which may be handed to the system browser — pure rules the
 * Electron shell applies to navigation, new windows and IPC senders.
 */

/** Where the renderer is loaded from: the dev server in development, the built file otherwise. */
export type RendererLocation = { kind: 'dev-server'; url: string } | { kind: 'file'; path: string };

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` is the app's own page (any hash or query, which client-side views use). */
export function isAppUrl(url: string, location: RendererLocation): boolean {
  const parsed = parse(url);
  if (parsed === null) return false;
  if (location.kind === 'dev-server') {
    const app = parse(location.url);
    return app !== null && parsed.origin === app.origin;
  }
  parsed.hash = '';
  parsed.search = '';
  return parsed.protocol === 'file:' && parsed.href === pathToFileURL(location.path).href;
}

/**
 * The URL to open in the system browser, or null when it must not be opened: only http(s), no
 * embedded credentials, a real host and a sane length (a CI web URL, never `file:` or a custom
 * protocol handler that could run a program).
 */
export function externalUrl(url: string): string | null {
  if (url.length > 4096) return null;
  const parsed = parse(url);
  if (parsed === null) return null;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}
