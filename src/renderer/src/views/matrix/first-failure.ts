import type { BuildSummary } from '../../../../shared/model';

/** What "green" needs of a build. */
export type GreenBuild = Pick<BuildSummary, 'status'> & {
  stages: readonly Pick<BuildSummary['stages'][number], 'status' | 'isGate'>[];
};

/**
 * A green build: it passed, or it passed every automated stage and waits at a manual gate (with
 * continuous delivery a release candidate waiting for approval is as green as CI gets).
 */
export function isGreen(build: GreenBuild): boolean {
  if (build.status === 'success') return true;
  if (build.status !== 'waiting') return false;
  const automated = build.stages.filter((stage) => !stage.isGate);
  return automated.length > 0 && automated.every((stage) => stage.status === 'success');
}

/** Where "jump to first failure since last green" lands. */
export type FailureJump<T> =
  /** The oldest failed build newer than the last green one (or of all history, if never green). */
  | { kind: 'found'; build: T; lastGreen: T | null }
  /** Nothing failed since the last green build (or nothing failed at all). */
  | { kind: 'none'; lastGreen: T | null }
  /** No green build among those loaded, and older history exists: load more, then ask again. */
  | { kind: 'need-more' };

/**
 * The first failure since the last green build, over builds loaded newest first. `complete`
 * says the list holds the whole (filtered) history, so "never green" can be told apart from "not
 * loaded far enough". Pure.
 */
export function firstFailureSinceLastGreen<T extends GreenBuild>(
  builds: readonly T[],
  complete: boolean,
): FailureJump<T> {
  const greenIndex = builds.findIndex(isGreen);
  if (greenIndex === -1 && !complete) return { kind: 'need-more' };
  const lastGreen = greenIndex === -1 ? null : builds[greenIndex]!;
  const since = greenIndex === -1 ? builds : builds.slice(0, greenIndex);
  for (let index = since.length - 1; index >= 0; index -= 1) {
    const build = since[index]!;
    if (build.status === 'failed') return { kind: 'found', build, lastGreen };
  }
  return { kind: 'none', lastGreen };
}

/** What the jump reads of the loaded history each time round. */
export type LoadedHistory<T> = { builds: readonly T[]; complete: boolean; error: string | null };

/**
 * Finds the first failure since the last green build, reading older pages (`loadOlder`) while
 * no green build is loaded and older history exists. Stops at `maxPages` or on a read error,
 * answering with what is loaded then.
 */
export async function findFirstFailure<T extends GreenBuild>(
  read: () => LoadedHistory<T>,
  loadOlder: () => Promise<void>,
  onProgress: (answer: FailureJump<T>) => void = () => {},
  maxPages = 200,
): Promise<FailureJump<T>> {
  for (let page = 0; ; page += 1) {
    const history = read();
    const stuck = page >= maxPages || history.error !== null;
    const answer = firstFailureSinceLastGreen(history.builds, history.complete || stuck);
    if (answer.kind !== 'need-more') return answer;
    onProgress(answer);
    const before = history.builds.length;
    await loadOlder();
    // A page that brought nothing new (a concurrent filter change, a server that ignores
    // `before`) must not spin for ever.
    if (read().builds.length === before && !read().complete) {
      return firstFailureSinceLastGreen(read().builds, true);
    }
  }
}
