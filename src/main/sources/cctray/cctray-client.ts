import { ProviderHttp } from '../http/provider-http';
import { SourceError } from '../source';
import { decodeFeed } from './feed-encoding';
import { parseCctray, type CctrayDocument } from './cctray-parser';
import type { CctrayOptions } from './cctray-options';

export interface CctrayClientSettings {
  /** The feed URL (the source's `baseUrl`). */
  feedUrl: string;
  options: CctrayOptions;
  /** The token from its reference, or null; read at every request. */
  token: () => string | null;
  fetch?: typeof fetch;
  /** Longest wait for one request (the config's `requestTimeoutSeconds`). */
  timeoutMs?: number;
  now?: () => number;
}

export interface CctrayFeed extends CctrayDocument {
  /** The server answered 304: the feed is as it was. */
  notModified: boolean;
}

/** The feed's address for messages: no query (it may carry a token), no user:password. */
export function describeFeed(feedUrl: string): string {
  try {
    const url = new URL(feedUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

/**
 * Fetches and parses a cctray feed. The token goes either as the Basic-auth password of
 * `options.user` or as the query parameter `options.tokenParameter`; the feed is requested
 * with If-None-Match so a server that sends ETags answers an unchanged feed with an empty 304.
 */
export function createCctrayClient(settings: CctrayClientSettings): {
  http: ProviderHttp;
  fetchFeed(signal: AbortSignal): Promise<CctrayFeed>;
} {
  const { options } = settings;
  const feed = describeFeed(settings.feedUrl);
  const http = new ProviderHttp({
    providerName: `The cctray feed at ${feed}`,
    baseUrl: settings.feedUrl,
    headers: { Accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
    authHeaders: (): Record<string, string> => {
      if (!options.user) return {};
      const credentials = `${options.user}:${settings.token() ?? ''}`;
      return { Authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
    },
    secrets: () => [settings.token()],
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.now ? { now: settings.now } : {}),
  });

  return {
    http,
    async fetchFeed(signal) {
      const token = settings.token();
      if (token !== null && !options.user && !options.tokenParameter) {
        throw new SourceError(
          'auth',
          `A token is configured for the cctray feed at ${feed}, but not how to send it: ` +
            'set options.user (HTTP Basic auth) or options.tokenParameter (e.g. "access_token").',
        );
      }
      const query =
        options.tokenParameter && token !== null ? { [options.tokenParameter]: token } : {};
      const answer = await http.getBytes(settings.feedUrl, {
        signal,
        query,
        conditional: true,
        headers: { Accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
      });
      const text = decodeFeed(answer.bytes, answer.headers.get('content-type'));
      return { ...parseCctray(text, feed), notModified: answer.notModified };
    },
  };
}
