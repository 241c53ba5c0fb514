import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Serve mode's access rules as small pure functions: the token check (header, query string or
 * the session cookie a browser gets after opening the printed `?token=` URL), the Host check
 * against DNS rebinding, and the same-origin check for state-changing requests.
 */

/** True for names only this machine can reach; binding anything else requires a token. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Formats a host for a URL: IPv6 addresses go in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export type AuthOutcome =
  | {
      ok: true;
      /** A Set-Cookie value to send back, so the page's own requests carry the token. */ setCookie:
        string | null;
    }
  | { ok: false };

/** Decides whether one request may proceed. */
export interface RequestAuthenticator {
  authenticate(headers: IncomingHttpHeaders, query: URLSearchParams): AuthOutcome;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a presented secret with the expected one in constant time. Hashing first gives both
 * sides the same length, so even the length of the token does not leak through timing.
 */
export function secretsMatch(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

/**
 * The cookie holds a value derived from the token rather than the token itself: it unlocks this
 * server only, and a cookie sent by mistake to another service on localhost (cookies ignore
 * ports) does not reveal the token that works with `Authorization` headers and scripts.
 */
function sessionValue(token: string): string {
  return createHash('sha256').update(`pipewatch-session\0${token}`, 'utf8').digest('hex');
}

function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      return part.slice(separator + 1).trim();
    }
  }
  return null;
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * Builds the token check for a server listening on `port` (part of the cookie's name, because
 * cookies are shared by every port of a host). With no token, every request passes.
 */
export function createAuthenticator(token: string | null, port: number): RequestAuthenticator {
  if (token === null) return { authenticate: () => ({ ok: true, setCookie: null }) };
  const cookieName = `pipewatch-session-${port}`;
  const expectedSession = sessionValue(token);
  return {
    authenticate(headers, query) {
      const fromHeader = bearerToken(headers.authorization);
      if (fromHeader !== null && secretsMatch(token, fromHeader)) {
        return { ok: true, setCookie: null };
      }
      const fromQuery = query.get('token');
      if (fromQuery !== null && secretsMatch(token, fromQuery)) {
        return {
          ok: true,
          setCookie: `${cookieName}=${expectedSession}; Path=/; HttpOnly; SameSite=Strict`,
        };
      }
      const fromCookie = readCookie(headers.cookie, cookieName);
      if (fromCookie !== null && secretsMatch(expectedSession, fromCookie)) {
        return { ok: true, setCookie: null };
      }
      return { ok: false };
    },
  };
}

function hostnameOfHostHeader(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

/**
 * DNS rebinding defence: a page on evil.example that re-resolves its name to 127.0.0.1 reaches a
 * loopback server, but its requests still say `Host: evil.example`. A loopback-bound server
 * therefore answers only requests addressed to a loopback name.
 */
export function isAllowedHostHeader(hostHeader: string | undefined, boundHost: string): boolean {
  if (!isLoopbackHost(boundHost) || hostHeader === undefined) return true;
  return isLoopbackHost(hostnameOfHostHeader(hostHeader));
}

function normalizedHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' ? url.host : null;
  } catch {
    return null;
  }
}

/**
 * A request whose `Origin` header is present must come from this server's own pages. Browsers
 * always send `Origin` on cross-origin POSTs, so a form or script on another site is refused.
 */
export function isSameOriginRequest(
  originHeader: string | undefined,
  hostHeader: string | undefined,
): boolean {
  if (originHeader === undefined) return true;
  if (hostHeader === undefined) return false;
  const origin = normalizedHost(originHeader);
  return origin !== null && origin === normalizedHost(`http://${hostHeader}`);
}
