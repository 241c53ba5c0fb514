/**
 * `pipewatch://` links (from a chat message, a wiki, a notification elsewhere) turned into the
 * renderer's hash routes. Only a fixed grammar of words and whole numbers passes, and the hash
 * is rebuilt from those numbers, so no text from a link ever reaches the page.
 *
 *   pipewatch://pipelines/7                        a pipeline
 *   pipewatch://pipelines/7/builds/121             one build (its graph)
 *   pipewatch://pipelines/7/builds/121/stages/3    one stage of it, opened
 *   pipewatch://pipelines/7/builds/121/stages/3/log, …/stages/3/steps/9/log
 *   pipewatch://pipelines/7/matrix, …/trends, pipewatch://inbox, …/audit, …/settings, pipewatch://
 */

export const DEEP_LINK_PROTOCOL = 'pipewatch';

const WORDS = new Set(['inbox', 'audit', 'settings']);
const PIPELINE_VIEWS = new Set(['matrix', 'trends']);
const MAX_LINK_LENGTH = 2000;

function id(text: string | undefined): string | null {
  if (text === undefined || !/^[1-9]\d{0,15}$/.test(text)) return null;
  return Number.isSafeInteger(Number(text)) ? String(Number(text)) : null;
}

/** The segments of a pipewatch:// link (`pipewatch://a/b` and `pipewatch:///a/b` alike). */
function segmentsOf(link: string): string[] | null {
  if (link.length > MAX_LINK_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_PROTOCOL}:`) return null;
  if (url.username !== '' || url.password !== '' || url.port !== '') return null;
  const path = `${url.hostname}${url.pathname}`;
  return path.split('/').filter((segment) => segment !== '');
}

/** The hash route a `pipewatch://` link opens, or null when it is not one Pipewatch knows. */
export function hashRouteOfDeepLink(link: string): string | null {
  const segments = segmentsOf(link);
  if (segments === null) return null;
  const [first, pipelineText, third, buildText, fifth, stageText, ...rest] = segments;
  if (first === undefined) return '#/';
  if (segments.length === 1 && WORDS.has(first)) return `#/${first}`;
  if (first !== 'pipelines') return null;
  const pipeline = id(pipelineText);
  if (pipeline === null) return null;
  if (segments.length === 2) return `#/pipelines/${pipeline}`;
  if (segments.length === 3 && third !== undefined && PIPELINE_VIEWS.has(third)) {
    return `#/pipelines/${pipeline}/${third}`;
  }
  const build = id(buildText);
  if (third !== 'builds' || build === null) return null;
  const buildHash = `#/pipelines/${pipeline}/builds/${build}`;
  if (segments.length === 4) return buildHash;
  const stage = id(stageText);
  if (fifth !== 'stages' || stage === null) return null;
  const stageHash = `${buildHash}/stages/${stage}`;
  if (rest.length === 0) return stageHash;
  if (rest.length === 1 && rest[0] === 'log') return `${stageHash}/log`;
  const step = id(rest[1]);
  if (rest.length === 3 && rest[0] === 'steps' && step !== null && rest[2] === 'log') {
    return `${stageHash}/steps/${step}/log`;
  }
  return null;
}

/**
 * The deep link among a launch's command-line arguments (Windows and Linux hand the link to a
 * second instance as an argument; macOS sends `open-url` instead).
 */
export function deepLinkInArguments(argv: readonly string[]): string | null {
  return argv.find((argument) => argument.startsWith(`${DEEP_LINK_PROTOCOL}:`)) ?? null;
}
