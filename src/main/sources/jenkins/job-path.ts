/**
 * Jenkins addresses a job inside folders and multibranch projects as `job/{a}/job/{b}/job/{c}`.
 * Each part of the full name is one URL segment, so a branch job Jenkins stores as
 * `feature%2Flogin` is sent as `feature%252Flogin` — exactly what Jenkins' own links contain.
 */
export function jobPath(fullName: string): string {
  return fullName
    .split('/')
    .map((segment) => `job/${encodeURIComponent(segment)}`)
    .join('/');
}

/** The path of one build of a job (relative to the base URL, no trailing slash). */
export function buildPath(fullName: string, buildNumber: number): string {
  return `${jobPath(fullName)}/${buildNumber}`;
}

/** The path of one flow node (stage or step) of a build. */
export function nodePath(fullName: string, buildNumber: number, nodeId: string): string {
  return `${buildPath(fullName, buildNumber)}/execution/node/${encodeURIComponent(nodeId)}`;
}

/** How people read a full name: the parts decoded and joined the way Jenkins shows them. */
export function jobDisplayName(fullName: string): string {
  return fullName
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join(' » ');
}

/** An absolute web URL under the base URL (which may carry a prefix such as `/jenkins/`). */
export function webUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(`${path}/`, base).toString();
}

/** A build number from the external id Pipewatch keeps (`"16"`), or null when it is not one. */
export function parseBuildNumber(externalId: string): number | null {
  return /^\d{1,10}$/.test(externalId) ? Number(externalId) : null;
}
