import { createHash } from 'node:crypto';
import type { Status } from '../../src/shared/status';
import type { FakeAnswer, FakeProvider, SeenRequest } from './fake-provider';
import type { KindParts } from './living-ci';
import { type Timeline, done, finalStatus, type TimelineBuild } from './living-timeline';
import { fixtureText } from './provider-fixtures';

const FEED = '/cc.xml';
/** The feed's project that keeps building; the example's other project never builds again. */
const LIVING_PROJECT = 'HelloWorld';

/** One `<Project …/>` element of the example feed, its attributes in order. */
interface FeedProject {
  attributes: Array<[string, string]>;
}

function readProjects(xml: string): FeedProject[] {
  return [...xml.matchAll(/<Project\b([^>]*?)\/>/g)].map((match) => ({
    attributes: [...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(
      (attribute) => [attribute[1] ?? '', attribute[2] ?? ''] as [string, string],
    ),
  }));
}

function attribute(project: FeedProject, name: string): string | null {
  return project.attributes.find(([key]) => key === name)?.[1] ?? null;
}

function writeFeed(projects: FeedProject[]): string {
  const elements = projects.map(
    (project) =>
      `    <Project\n${project.attributes.map(([name, value]) => `        ${name}="${value}"`).join('\n')}/>`,
  );
  return `<Projects>\n${elements.join('\n')}\n</Projects>\n`;
}

const FEED_STATUS: Record<string, Status> = {
  Success: 'success',
  Failure: 'failed',
  Exception: 'failed',
};

/** Answers an XML `body` with an ETag of its content, and 304 to a request that sends it. */
function xmlWithEtag(request: SeenRequest, body: string): FakeAnswer {
  const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
  if (request.headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag } };
  return { body, headers: { ETag: etag, 'Content-Type': 'application/xml; charset=utf-8' } };
}

/**
 * What Pipewatch names the builds it infers from the feeds it was given (docs/sources/cctray.md),
 * kept independently of the adapter: a new label is a new build with the label as its id, unless
 * a build was seen running — that build (named with the next label when it started) takes the new
 * label's result. A feed shows only the last build, so builds that start and end between two
 * polls that reached Pipewatch are never seen, and a watched build may end under a later label.
 */
class InferredNames {
  private lastLabel: string | null = null;
  private watching: string | null = null;
  /** External id → the label whose result it takes ('unknown': it stopped without one). */
  readonly resultOf = new Map<string, string | 'unknown'>();

  /** Applies one feed that reached Pipewatch; answers the build ids it reports. */
  observe(label: string | null, building: boolean): string[] {
    const reported: string[] = [];
    if (label !== null && label !== this.lastLabel) {
      const id = this.watching ?? label;
      this.watching = null;
      this.resultOf.set(id, label);
      this.lastLabel = label;
      reported.push(id);
    }
    if (building && this.watching === null && this.lastLabel !== null) {
      this.watching = String(Number(this.lastLabel) + 1);
      reported.push(this.watching);
    } else if (!building && this.watching !== null) {
      this.resultOf.set(this.watching, 'unknown');
      this.watching = null;
    }
    return reported;
  }
}

/**
 * A cctray feed that keeps building, from the spec's example feed: its HelloWorld project counts
 * labels on from the example's 13 (build n of the timeline is label 13 + n), shows `Building`
 * while a build runs and the last finished build's label, status and time; SvnTest stays as it is.
 */
export function cctrayRoutes(fake: FakeProvider, timeline: Timeline): KindParts {
  const example = readProjects(fixtureText('cctray', 'cctray.xml'));
  const living = example.find((project) => attribute(project, 'name') === LIVING_PROJECT);
  if (!living) throw new Error(`The example feed has no ${LIVING_PROJECT} project`);
  const baseLabel = Number(attribute(living, 'lastBuildLabel'));
  const label = (build: TimelineBuild) => String(baseLabel + build.number);
  const names = new InferredNames();

  const feed = (now: number): string => {
    const builds = timeline.advance(now);
    const finished = builds.filter((build) => done(build, now)).at(-1);
    const building = builds.some((build) => build.createdAt <= now && !done(build, now));
    const changes: Record<string, string> = { activity: building ? 'Building' : 'Sleeping' };
    if (finished) {
      changes['lastBuildStatus'] = finished.fails ? 'Failure' : 'Success';
      changes['lastBuildLabel'] = label(finished);
      changes['lastBuildTime'] = new Date(finished.finishAt).toISOString();
    }
    return writeFeed(
      example.map((project) =>
        project === living
          ? {
              attributes: project.attributes.map(([name, value]) => [name, changes[name] ?? value]),
            }
          : project,
      ),
    );
  };

  fake.route(`GET ${FEED}`, (request) => xmlWithEtag(request, feed(Date.now())));

  return {
    baseUrl: (origin) => `${origin}${FEED}`,
    // A token is configured for every soak source: a feed must be told how to send it.
    options: { user: 'soak' },
    isPollEntry: (path) => path === FEED,
    reportedBuilds(path, body) {
      if (path !== FEED) return [];
      const reported: string[] = [];
      for (const project of readProjects(body)) {
        const projectLabel = attribute(project, 'lastBuildLabel');
        if (attribute(project, 'name') === LIVING_PROJECT) {
          reported.push(
            ...names.observe(projectLabel, attribute(project, 'activity') === 'Building'),
          );
        } else if (projectLabel !== null) {
          reported.push(projectLabel);
        }
      }
      return reported;
    },
    finalStatuses() {
      const byLabel = new Map<string, Status>(
        example.map((project) => [
          attribute(project, 'lastBuildLabel') ?? '',
          FEED_STATUS[attribute(project, 'lastBuildStatus') ?? ''] ?? 'unknown',
        ]),
      );
      for (const build of timeline.advance()) byLabel.set(label(build), finalStatus(build));
      const statuses = new Map(byLabel);
      for (const [id, result] of names.resultOf) {
        statuses.set(id, result === 'unknown' ? 'unknown' : (byLabel.get(result) ?? 'unknown'));
      }
      return statuses;
    },
  };
}
