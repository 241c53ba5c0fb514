import { STATUSES, type Status } from '../../../../shared/status';
import { statusWord } from '../../format/status-words';
import type { MatrixFilter } from '../../store/slices/matrix-slice';

/** Filters (branch, status) and the jump to the first failure since the last green build. */
export function MatrixToolbar({
  filter,
  branches,
  onFilter,
  onJump,
  jumping,
  jumpAnswer,
  loadedCount,
  complete,
}: {
  filter: MatrixFilter;
  branches: readonly string[];
  onFilter(filter: MatrixFilter): void;
  onJump(): void;
  jumping: boolean;
  jumpAnswer: string | null;
  loadedCount: number;
  complete: boolean;
}) {
  // With only failed (or only passed) builds listed there is no "since the last green" to find.
  const jumpBlocked =
    filter.status !== null
      ? 'Show every status to find the last green build'
      : loadedCount === 0
        ? 'No builds yet'
        : null;
  return (
    <div className="matrix-toolbar">
      <label className="matrix-filter">
        <span>Branch</span>
        <select
          value={filter.branch ?? ''}
          data-testid="matrix-filter-branch"
          onChange={(event) => onFilter({ ...filter, branch: event.target.value || null })}
        >
          <option value="">All branches</option>
          {branches.map((branch) => (
            <option key={branch} value={branch}>
              {branch}
            </option>
          ))}
        </select>
      </label>
      <label className="matrix-filter">
        <span>Status</span>
        <select
          value={filter.status ?? ''}
          data-testid="matrix-filter-status"
          onChange={(event) =>
            onFilter({ ...filter, status: (event.target.value || null) as Status | null })
          }
        >
          <option value="">Any status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusWord(status)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button button--small"
        data-testid="matrix-jump-failure"
        onClick={onJump}
        disabled={jumping || jumpBlocked !== null}
        title={jumpBlocked ?? 'Scroll to the oldest failed build since the newest green one'}
        aria-busy={jumping}
      >
        {jumping ? 'Looking back…' : 'Jump to first failure since last green'}
      </button>
      {jumpAnswer ? (
        <span className="matrix-jump-answer" role="status" data-testid="matrix-jump-result">
          {jumpAnswer}
        </span>
      ) : null}
      <span className="matrix-count muted">
        {loadedCount} {loadedCount === 1 ? 'build' : 'builds'}
        {complete ? '' : ' so far — scroll for older'}
      </span>
    </div>
  );
}
