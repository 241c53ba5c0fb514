import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { BuildSummary } from '../../../../shared/model';
import { hrefFor } from '../../routing/hash-route';
import { BuildFacts } from '../dashboard/pipeline-card';
import { StageDots } from '../common/stage-dots';
import { StatusBadge } from '../common/status-badge';
import { useNow } from '../common/use-now';

const BuildListItem = memo(function BuildListItem({
  build,
  pipelineId,
  selected,
  now,
}: {
  build: BuildSummary;
  pipelineId: number;
  selected: boolean;
  now: number;
}) {
  const link = useRef<HTMLAnchorElement>(null);
  // A build opened from the matrix or a link may be far down the list: bring it into view.
  useEffect(() => {
    if (selected) link.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li>
      <a
        ref={link}
        className={`build-list-item status--${build.status}${selected ? ' is-selected' : ''}`}
        href={hrefFor({ view: 'pipeline', pipelineId, buildId: build.id })}
        aria-current={selected ? 'page' : undefined}
        data-testid="build-row"
        data-build-number={build.number}
        data-status={build.status}
      >
        <span className="build-list-line">
          <span className="build-list-number">#{build.number}</span>
          <StatusBadge status={build.status} detail={build.statusDetail} />
        </span>
        <StageDots stages={build.stages} now={now} />
        <BuildFacts build={build} now={now} />
      </a>
    </li>
  );
});

/** Up and down arrows move between builds; Enter opens the focused one (it is a link). */
function moveBetweenBuilds(event: KeyboardEvent<HTMLOListElement>): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a.build-list-item')];
  const index = links.indexOf(event.target as HTMLAnchorElement);
  if (index === -1) return;
  event.preventDefault();
  links[event.key === 'ArrowDown' ? index + 1 : index - 1]?.focus();
}

/** The builds of a pipeline, newest first; the selected one is marked. */
export function BuildList({
  builds,
  pipelineId,
  selectedBuildId,
}: {
  builds: readonly BuildSummary[];
  pipelineId: number;
  selectedBuildId: number | null;
}) {
  const now = useNow();
  return (
    <ol className="build-list" aria-label="Builds" onKeyDown={moveBetweenBuilds}>
      {builds.map((build) => (
        <BuildListItem
          key={build.id}
          build={build}
          pipelineId={pipelineId}
          selected={build.id === selectedBuildId}
          now={now}
        />
      ))}
    </ol>
  );
}
