/** Where the serve-mode access token is kept between reloads of the same tab. */
export const TOKEN_STORAGE_KEY = 'pipewatch.token';

/** The parts of `window` the token hand-off touches, so it can be tested without a browser. */
export type TokenEnvironment = {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
};

/**
 * Takes the serve-mode access token from the page URL (`?token=…`, as printed by
 * `pipewatch serve`) once, keeps it in sessionStorage and removes it from the visible URL, so it
 * does not linger in the address bar, the history or a screenshot. Later loads read it back.
 */
export function takeAccessToken(environment: TokenEnvironment): string | null {
  const url = new URL(environment.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    url.searchParams.delete('token');
    const visible = `${url.pathname}${url.search}${url.hash}`;
    environment.history.replaceState(environment.history.state, '', visible);
    if (fromUrl.length > 0) {
      safely(() => environment.storage.setItem(TOKEN_STORAGE_KEY, fromUrl));
      return fromUrl;
    }
  }
  return safely(() => environment.storage.getItem(TOKEN_STORAGE_KEY)) ?? null;
}

/** Storage can throw (disabled cookies, private modes); the token then lives for this page only. */
function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
