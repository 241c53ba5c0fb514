/** Query parameters that carry credentials in some providers' URLs (cctray feeds, GitLab). */
const SECRET_PARAMETERS =
  /([?&](?:access_token|private_token|token|api_key|apikey|key|circle-token)=)[^&#\s]*/gi;

/**
 * Removes secrets from text meant for people (health messages, logs): the given secret values
 * wherever they appear, credential query parameters, and user:password in URLs.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let result = text
    .replace(SECRET_PARAMETERS, '$1***')
    .replace(/(\/\/)[^/@\s:]+:[^/@\s]+@/g, '$1***@');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}
