import { useMemo, useState, type KeyboardEvent } from 'react';
import type { BuildDetail, Stage } from '../../../../shared/model';
import { isFinished } from '../../../../shared/status';
import { describeBuild } from '../../format/build-sentence';
import { ageOf } from '../../format/duration';
import { shortSha, statusClasses } from '../../format/status-words';
import { propagateBlocked } from '../../graph/blocked';
import { BuildGraph } from '../../graph/build-graph';
import { groupMatrixJobs } from '../../graph/job-groups';
import { mostInterestingStage } from '../../graph/to-flow';
import { hrefFor } from '../../routing/hash-route';
import { StatusBadge } from '../common/status-badge';
import { useNow } from '../common/use-now';
import { BuildActions, useSourceOf } from './build-actions';
import { GateDecision } from './gate-decision';
import { StageDetails } from './stage-details';

/** The one-line summary in words above the graph. */
function BuildSummaryLine({ detail, stages }: { detail: BuildDetail; stages: readonly Stage[] }) {
  const now = useNow();
  return (
    <p className={`build-summary ${statusClasses(detail.build)}`} data-testid="build-summary">
      {describeBuild(detail.build, stages, now, detail.gates)}
    </p>
  );
}

/** Opens one stage of the build through its deep link, so back and forward walk selections. */
function openStage(detail: BuildDetail, stage: Stage): void {
  window.location.hash = hrefFor({
    view: 'pipeline',
    pipelineId: detail.pipeline.id,
    buildId: detail.build.id,
    stageId: stage.id,
  });
}

/**
 * The selected build: header, summary, gates, graph, and the selected stage's details. The stage
 * comes from the route (`…/stages/:stageId`), else it is the one a person most likely wants.
 */
export function BuildView({ detail, stageId }: { detail: BuildDetail; stageId?: number }) {
  const { build, gates } = detail;
  const now = useNow();
  const source = useSourceOf(detail.pipeline.sourceId);
  // Stages that did not run because of a failure read as blocked, whatever the provider said.
  const stages = useMemo(
    () => propagateBlocked(detail.stages, isFinished(build.status)),
    [detail.stages, build.status],
  );
  const ordered = useMemo(() => [...stages].sort((a, b) => a.position - b.position), [stages]);
  const selected = stages.find((stage) => stage.id === stageId) ?? mostInterestingStage(stages);
  // Matrices of jobs are drawn one node each, unless someone asks to see every job.
  const [everyJob, setEveryJob] = useState(false);
  const grouped = useMemo(() => groupMatrixJobs(stages), [stages]);
  const drawn = everyJob
    ? { stages, groups: undefined, groupOf: new Map<string, string>() }
    : grouped;
  const selectedNode = selected
    ? (drawn.groupOf.get(selected.externalId) ?? selected.externalId)
    : null;
  const selectedGate =
    selected === null
      ? null
      : (gates.find((gate) => gate.stageExternalId === selected.externalId) ?? null);
  const sha = shortSha(build.commitSha);
  const age = ageOf(build.startedAt ?? build.createdAt, now);

  function selectByKey(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const index = selected ? ordered.indexOf(selected) : -1;
    const next = ordered[event.key === 'ArrowRight' ? index + 1 : index - 1];
    if (!next) return;
    event.preventDefault();
    openStage(detail, next);
  }

  return (
    <article className="build-view" aria-label={`Build ${build.number}`}>
      <header className="build-view-head">
        <h2>
          Build #{build.number}
          {build.attempt > 1 ? <span className="muted"> (attempt {build.attempt})</span> : null}
        </h2>
        <StatusBadge status={build.status} detail={build.statusDetail} />
        <span className="build-facts">
          {build.branch ? <span className="build-branch">{build.branch}</span> : null}
          {sha ? <code className="build-sha">{sha}</code> : null}
          {build.author ? <span className="build-author">{build.author}</span> : null}
          {age ? <span className="build-age">{age}</span> : null}
        </span>
        {build.webUrl ? (
          <a
            className="build-web-link"
            href={build.webUrl}
            target="_blank"
            rel="noreferrer noopener"
          >
            Open on the CI server ↗
          </a>
        ) : null}
        <BuildActions build={build} source={source} />
      </header>
      {build.commitMessage ? (
        <p className="commit-message" title={build.commitMessage}>
          {build.commitMessage.split('\n')[0]}
        </p>
      ) : null}
      <BuildSummaryLine detail={detail} stages={stages} />
      <GateDecision detail={detail} />
      {grouped.groups.size > 0 ? (
        <div className="graph-toolbar">
          <span>
            {grouped.groups.size === 1 ? 'A matrix' : `${grouped.groups.size} matrices`} of jobs{' '}
            {everyJob ? 'shown job by job' : 'drawn as one node each'}.
          </span>
          <button
            type="button"
            className="button button--small"
            data-testid="graph-group-toggle"
            onClick={() => setEveryJob((current) => !current)}
          >
            {everyJob ? 'Group matrix jobs' : `Show all ${stages.length} jobs`}
          </button>
        </div>
      ) : null}
      {stages.length > 0 ? (
        <div
          className="build-graph-frame"
          onKeyDown={selectByKey}
          aria-label="Stages: use the left and right arrows to move between them"
        >
          <BuildGraph
            stages={drawn.stages}
            gates={gates}
            groups={drawn.groups}
            selectedStageId={selectedNode}
            onSelectStage={(externalId) => {
              // A matrix opens at the job a person most likely wants: the failed one, say.
              const members = grouped.groups.get(externalId)?.members;
              const stage = members
                ? mostInterestingStage(members)
                : stages.find((candidate) => candidate.externalId === externalId);
              if (stage) openStage(detail, stage);
            }}
          />
        </div>
      ) : (
        <p className="empty">This build has no stages yet.</p>
      )}
      {selected ? (
        <StageDetails
          key={selected.id}
          stage={selected}
          gate={selectedGate}
          place={{ pipelineId: detail.pipeline.id, buildId: build.id }}
          source={source}
        />
      ) : null}
    </article>
  );
}
