import { SourceError } from '../source';
import { cctrayProjectSchema, type CctrayProject } from './cctray-wire';
import { decodeEntities, localName, scanXml, XmlSyntaxError, type XmlEvent } from './xml-scanner';

/** What a feed held: its projects in document order, and how many elements were unusable. */
export interface CctrayDocument {
  projects: CctrayProject[];
  /** `<Project>` elements without a name (or repeating one): skipped, counted for the UI. */
  skipped: number;
}

function quoteStart(text: string): string {
  const start = text.trim().slice(0, 60).replace(/\s+/g, ' ');
  return text.trim().length > 60 ? `${start}…` : start;
}

/** An HTML page's title, for a message that says which page came back (a login, a 404). */
function htmlTitle(text: string): string | null {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
  const title = match?.[1] ? decodeEntities(match[1]).replace(/\s+/g, ' ').trim() : '';
  return title ? title.slice(0, 80) : null;
}

function htmlPage(feed: string, text: string): SourceError {
  const title = htmlTitle(text);
  return new SourceError(
    'bad-response',
    `The feed at ${feed} is an HTML page${title ? ` ("${title}")` : ''}, not cctray XML. ` +
      'Check the URL (it usually ends in cc.xml or cctray.xml) and the credentials: ' +
      'servers often answer a login page instead of 401.',
  );
}

function toProject(attributes: Map<string, string>): CctrayProject | null {
  // Attribute names are matched case-insensitively: some servers write `lastbuildstatus`.
  const record: Record<string, string> = {};
  for (const [name, value] of attributes) {
    const key = localName(name);
    const canonical = CANONICAL_ATTRIBUTES.get(key.toLowerCase()) ?? key;
    if (!(canonical in record)) record[canonical] = value;
  }
  const parsed = cctrayProjectSchema.safeParse(record);
  return parsed.success ? parsed.data : null;
}

const HTML_ROOTS = new Set(['html', 'head', 'body']);

const CANONICAL_ATTRIBUTES = new Map(
  [
    'name',
    'activity',
    'lastBuildStatus',
    'lastBuildLabel',
    'lastBuildTime',
    'nextBuildTime',
    'webUrl',
  ].map((name) => [name.toLowerCase(), name] as const),
);

/**
 * Parses a cctray document (https://cctray.org/v1/): `<Projects>` holding `<Project>` elements.
 * Every way it can go wrong — an empty body, JSON, an HTML login page, another XML document, a
 * truncated answer — is a `SourceError('bad-response')` whose message says which, naming the
 * feed (`feed` must not contain credentials). Never throws anything else.
 */
export function parseCctray(text: string, feed: string): CctrayDocument {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new SourceError(
      'bad-response',
      `The feed at ${feed} answered with an empty body instead of cctray XML.`,
    );
  }
  if (!trimmed.startsWith('<')) {
    const what = /^[[{]/.test(trimmed) ? 'JSON' : 'plain text';
    throw new SourceError(
      'bad-response',
      `The feed at ${feed} sent ${what}, not cctray XML: "${quoteStart(trimmed)}".`,
    );
  }

  const projects: CctrayProject[] = [];
  const names = new Set<string>();
  let skipped = 0;
  let root: string | null = null;
  let rootClosed = false;
  let isHtml = false;
  // Names of the open elements below the root; a Project counts only as a child of the root.
  const open: string[] = [];

  const onEvent = (event: XmlEvent): boolean => {
    if (root === null) {
      if (event.kind === 'doctype') {
        isHtml = /^<!doctype\s+html\b/i.test(event.text);
        return !isHtml;
      }
      if (event.kind === 'close') return true;
      root = localName(event.name);
      if (HTML_ROOTS.has(root.toLowerCase())) {
        isHtml = true;
        return false;
      }
      if (root !== 'Projects') return false;
      rootClosed = event.selfClosing;
      return !rootClosed;
    }
    if (event.kind === 'doctype') return true;
    if (event.kind === 'close') {
      const name = localName(event.name);
      const at = open.lastIndexOf(name);
      if (at >= 0) {
        open.length = at;
      } else if (name === root && open.length === 0) {
        rootClosed = true;
        return false;
      }
      // An end tag nobody opened: sloppy markup, ignored.
      return true;
    }
    const name = localName(event.name);
    if (name === 'Project' && open.length === 0) {
      const project = toProject(event.attributes);
      if (project === null || names.has(project.name)) {
        skipped += 1;
      } else {
        names.add(project.name);
        projects.push(project);
      }
    }
    if (!event.selfClosing) open.push(name);
    return true;
  };

  try {
    scanXml(trimmed, onEvent);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    if (isHtml || /^<!doctype\s+html\b|^<html\b/i.test(trimmed)) throw htmlPage(feed, trimmed);
    throw new SourceError(
      'bad-response',
      error.truncated
        ? `The feed at ${feed} is cut off: ${error.message} after ${projects.length} project(s). ` +
            'The answer was truncated; the next poll will try again.'
        : `The feed at ${feed} is not readable XML: ${error.message}.`,
    );
  }
  if (isHtml) throw htmlPage(feed, trimmed);
  if (root === null) {
    throw new SourceError(
      'bad-response',
      `The feed at ${feed} holds no XML element, only declarations or comments: "${quoteStart(trimmed)}".`,
    );
  }
  if (root !== 'Projects') {
    throw new SourceError(
      'bad-response',
      `The feed at ${feed} is XML with root element <${root}>, not cctray's <Projects>. ` +
        'Is this the cctray URL (it usually ends in cc.xml or cctray.xml)?',
    );
  }
  if (!rootClosed) {
    throw new SourceError(
      'bad-response',
      `The feed at ${feed} is cut off: it ends before </Projects>, after ${projects.length} project(s). ` +
        'The answer was truncated; the next poll will try again.',
    );
  }
  return { projects, skipped };
}
