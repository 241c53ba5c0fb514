import type { SourceKind } from '../../../shared/model';
import { assertNever } from '../../../shared/status';

/** A source kind as people write it: "GitHub", "GitLab", "the demo". */
export function sourceKindWord(kind: SourceKind): string {
  switch (kind) {
    case 'demo':
      return 'the demo';
    case 'github':
      return 'GitHub';
    case 'gitlab':
      return 'GitLab';
    case 'jenkins':
      return 'Jenkins';
    case 'buildbot':
      return 'Buildbot';
    case 'buildkite':
      return 'Buildkite';
    case 'circleci':
      return 'CircleCI';
    case 'cctray':
      return 'cctray';
    default:
      return assertNever(kind);
  }
}
