import { createHash } from 'node:crypto';
import type { Status } from '../../src/shared/status';
import type { FakeAnswer, SeenRequest } from './fake-provider';

/**
 * The clock of a fake CI server that keeps building (see `living-ci.ts`): when each build was
 * created, passed its first stage and finished, and the small helpers every kind's routes share.
 */

export interface TimelineBuild {
  number: number;
  createdAt: number;
  /** The first stage ends here. */
  midAt: number;
  finishAt: number;
  fails: boolean;
}

export interface LivingCiOptions {
  everyMs: number;
  durationMs: number;
  /** Delay before the first build, so that sources do not all build in step. */
  offsetMs: number;
}

/** Builds created on a schedule; asked with the time, it says where each one is. */
export class Timeline {
  readonly builds: TimelineBuild[] = [];
  private nextAt: number;
  private frozen = false;

  constructor(private readonly options: LivingCiOptions) {
    this.nextAt = Date.now() + options.offsetMs;
  }

  /** Creates the builds due by now. */
  advance(now = Date.now()): TimelineBuild[] {
    while (!this.frozen && this.nextAt <= now) {
      const number = this.builds.length + 1;
      const createdAt = this.nextAt;
      this.builds.push({
        number,
        createdAt,
        midAt: createdAt + this.options.durationMs / 2,
        finishAt: createdAt + this.options.durationMs,
        fails: number % 4 === 0,
      });
      this.nextAt += this.options.everyMs;
    }
    return this.builds;
  }

  freeze(): void {
    this.advance();
    this.frozen = true;
    const now = Date.now();
    for (const build of this.builds) {
      build.midAt = Math.min(build.midAt, now);
      build.finishAt = Math.min(build.finishAt, now);
    }
  }
}

/** Epoch ms as an ISO-8601 instant. */
export const iso = (time: number) => new Date(time).toISOString();
/** The build has finished by `now`. */
export const done = (build: TimelineBuild, now: number) => now >= build.finishAt;
/** The build's first stage has finished by `now`. */
export const pastMid = (build: TimelineBuild, now: number) => now >= build.midAt;
/** When the build last changed, as its server reports `updated_at`. */
export const lastChange = (build: TimelineBuild, now: number) =>
  done(build, now) ? build.finishAt : build.createdAt;
/** A commit id for a build number. */
export const sha = (number: number) => createHash('sha1').update(`commit ${number}`).digest('hex');
/** The status a build ends with. */
export const finalStatus = (build: TimelineBuild): Status => (build.fails ? 'failed' : 'success');

/** Answers `body` with an ETag of its content, and 304 to a request that sends that ETag. */
export function withEtag(
  request: SeenRequest,
  body: unknown,
  headers: Record<string, string> = {},
): FakeAnswer {
  const etag = `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
  if (request.headers['if-none-match'] === etag)
    return { status: 304, headers: { ETag: etag, ...headers } };
  return { body, headers: { ETag: etag, ...headers } };
}

/** A body as JSON, or null when it is not. */
export function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}
