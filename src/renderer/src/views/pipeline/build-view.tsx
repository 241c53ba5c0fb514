import { useState } from 'react';
import type { BuildDetail } from '../../../../shared/model';
import { describeBuild } from '../../format/build-sentence';
import { ageOf } from '../../format/duration';
import { shortSha } from '../../format/status-words';
import { BuildGraph } from '../../graph/build-graph';
import { mostInterestingStage } from '../../graph/to-flow';
import { StatusBadge } from '../common/status-badge';
import { useNow } from '../common/use-now';
import { GateDecision } from './gate-decision';
import { StageDetails } from './stage-details';

/** The one-line summary in words above the graph. */
function BuildSummaryLine({ detail }: { detail: BuildDetail }) {
  const now = useNow();
  return (
    <p className={`build-summary status--${detail.build.status}`} data-testid="build-summary">
      {describeBuild(detail.build, detail.stages, now, detail.gates)}
    </p>
  );
}

/** The selected build: header, summary, gates, graph, and the clicked stage's steps. */
export function BuildView({ detail }: { detail: BuildDetail }) {
  const { build, stages, gates } = detail;
  const now = useNow();
  const [chosenStageId, setChosenStageId] = useState<string | null>(null);
  const chosen = stages.find((stage) => stage.externalId === chosenStageId);
  const selected = chosen ?? mostInterestingStage(stages);
  const selectedGate =
    selected === null
      ? null
      : (gates.find((gate) => gate.stageExternalId === selected.externalId) ?? null);
  const sha = shortSha(build.commitSha);
  const age = ageOf(build.startedAt ?? build.createdAt, now);
  return (
    <article className="build-view" aria-label={`Build ${build.number}`}>
      <header className="build-view-head">
        <h2>
          Build #{build.number}
          {build.attempt > 1 ? <span className="muted"> (attempt {build.attempt})</span> : null}
        </h2>
        <StatusBadge status={build.status} />
        <span className="build-facts">
          {build.branch ? <span className="build-branch">{build.branch}</span> : null}
          {sha ? <code className="build-sha">{sha}</code> : null}
          {build.author ? <span className="build-author">{build.author}</span> : null}
          {age ? <span className="build-age">{age}</span> : null}
        </span>
      </header>
      {build.commitMessage ? (
        <p className="commit-message" title={build.commitMessage}>
          {build.commitMessage.split('\n')[0]}
        </p>
      ) : null}
      <BuildSummaryLine detail={detail} />
      <GateDecision detail={detail} />
      {stages.length > 0 ? (
        <BuildGraph
          stages={stages}
          gates={gates}
          selectedStageId={selected?.externalId ?? null}
          onSelectStage={setChosenStageId}
        />
      ) : (
        <p className="empty">This build has no stages yet.</p>
      )}
      {selected ? <StageDetails stage={selected} gate={selectedGate} /> : null}
    </article>
  );
}
