import { SourceError } from '../source';
import type { ProviderHttp } from '../http/provider-http';

/**
 * Buildbot's REST API knows people only through the web UI's session: `GET /auth/login` with
 * Basic credentials (UserPasswordAuth, HTPasswdAuth) or `?token=` (OAuth2 providers) answers a
 * redirect that sets a `TWISTED_SESSION` cookie holding a signed JWT. Without a login every
 * request is anonymous, which is all a public Buildbot needs.
 */
export interface BuildbotSession {
  /** `TWISTED_SESSION=<jwt>`, as sent back in the Cookie header. */
  cookie: string;
  /** Epoch milliseconds of the JWT's `exp`, or null when it has none. */
  expiresAt: number | null;
  /** Who Buildbot says is logged in. */
  user: string;
}

/** The last session cookie a response sets (a login first sets an anonymous one, then the user's). */
export function sessionCookie(headers: Headers): string | null {
  const cookies = headers.getSetCookie().filter((cookie) => /^TWISTED_\w*SESSION/.test(cookie));
  const last = cookies[cookies.length - 1];
  return last ? (last.split(';')[0] ?? null) : null;
}

/** The claims of the session's JWT (not verified: only the server can, and it does). */
export function sessionClaims(cookie: string): {
  expiresAt: number | null;
  user: string | null;
  anonymous: boolean;
} {
  const payload = cookie.split('=').slice(1).join('=').split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
      user_info?: { username?: unknown; email?: unknown; anonymous?: unknown };
    };
    const info = claims.user_info ?? {};
    const user =
      typeof info.username === 'string'
        ? info.username
        : typeof info.email === 'string'
          ? info.email
          : null;
    return {
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
      user,
      anonymous: info.anonymous === true || user === null,
    };
  } catch {
    return { expiresAt: null, user: null, anonymous: true };
  }
}

/** Logs in through the web UI's login resource and answers the session it hands out. */
export async function logIn(
  http: ProviderHttp,
  webRoot: string,
  credentials: { user: string | null; token: string },
  signal: AbortSignal | undefined,
): Promise<BuildbotSession> {
  const url = new URL('auth/login', webRoot);
  const headers: Record<string, string> = {};
  if (credentials.user) {
    const pair = `${credentials.user}:${credentials.token}`;
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  } else {
    url.searchParams.set('token', credentials.token);
  }
  const who = credentials.user ? `user "${credentials.user}"` : 'the OAuth2 token';
  const host = new URL(webRoot).host;
  let response: Response;
  try {
    response = await http.request('GET', url, { headers, signal, followRedirects: false });
  } catch (error) {
    if (error instanceof SourceError && (error.kind === 'not-found' || error.kind === 'server')) {
      throw new SourceError(
        'auth',
        `Buildbot at ${host} offers no login for ${who} (is its www "auth" configured?); without options.user and token Pipewatch reads anonymously.`,
      );
    }
    throw error;
  }
  await response.body?.cancel();
  const cookie = sessionCookie(response.headers);
  const claims = cookie ? sessionClaims(cookie) : null;
  if (!cookie || !claims || claims.anonymous) {
    throw new SourceError(
      'auth',
      `Buildbot at ${host} did not log in ${who}; check the user name and the token (its password).`,
    );
  }
  return {
    cookie,
    expiresAt: claims.expiresAt,
    user: claims.user ?? credentials.user ?? 'unknown',
  };
}
