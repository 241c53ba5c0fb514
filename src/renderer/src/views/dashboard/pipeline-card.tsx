import { memo } from 'react';
import type { BuildSummary } from '../../../../shared/model';
import { ageOf } from '../../format/duration';
import { shortSha, statusDetailClass, waitingGatesWords } from '../../format/status-words';
import { hrefFor } from '../../routing/hash-route';
import { usePipeline } from '../../store/selectors';
import { StageDots } from '../common/stage-dots';
import { StatusBadge } from '../common/status-badge';
import { StatusIcon } from '../common/status-icon';
import { useNow } from '../common/use-now';

/** Branch · sha · author · age of a build, skipping what the provider did not say. */
export function BuildFacts({ build, now }: { build: BuildSummary; now: number }) {
  const sha = shortSha(build.commitSha);
  const age = ageOf(build.startedAt ?? build.createdAt, now);
  return (
    <span className="build-facts">
      {build.branch ? <span className="build-branch">{build.branch}</span> : null}
      {sha ? <code className="build-sha">{sha}</code> : null}
      {build.author ? <span className="build-author">{build.author}</span> : null}
      {age ? (
        <time className="build-age" dateTime={build.startedAt ?? build.createdAt}>
          {age}
        </time>
      ) : null}
    </span>
  );
}

/** One recent build: number, status glyph, stage dots. */
export function BuildRow({ build, now }: { build: BuildSummary; now: number }) {
  return (
    <li
      className={`build-row status--${build.status}`}
      data-testid="build-row"
      data-build-number={build.number}
      data-status={build.status}
    >
      <span className="build-row-status" title={build.status}>
        <StatusIcon status={build.status} size={12} />
      </span>
      <span className="build-row-number">#{build.number}</span>
      <StageDots stages={build.stages} now={now} />
    </li>
  );
}

/** A pipeline on the dashboard: its latest build, recent builds as dots, waiting gates. */
export const PipelineCard = memo(function PipelineCard({ pipelineId }: { pipelineId: number }) {
  const pipeline = usePipeline(pipelineId);
  const now = useNow();
  if (!pipeline) return null;
  const [latest] = pipeline.recentBuilds;
  return (
    <a
      className={`pipeline-card${latest ? ` card-status--${latest.status}` : ''}${latest?.statusDetail ? ` ${statusDetailClass(latest.statusDetail)}` : ''}`}
      href={hrefFor({ view: 'pipeline', pipelineId, buildId: null })}
      data-testid="pipeline-card"
      data-pipeline-name={pipeline.name}
    >
      <div className="pipeline-card-head">
        <h2 className="pipeline-name">{pipeline.name}</h2>
        <span className="pipeline-source">
          {pipeline.sourceName}
          {pipeline.isDemo ? <span className="demo-badge">Demo</span> : null}
        </span>
        {pipeline.waitingGates > 0 ? (
          <span className="gate-badge" data-testid="waiting-gates">
            <StatusIcon status="waiting" size={12} />
            {waitingGatesWords(pipeline.waitingGates)}
          </span>
        ) : null}
      </div>
      {latest ? (
        <div className="pipeline-latest">
          <span className="latest-number">#{latest.number}</span>
          <StatusBadge status={latest.status} detail={latest.statusDetail} />
          <BuildFacts build={latest} now={now} />
        </div>
      ) : (
        <p className="muted">No builds yet.</p>
      )}
      {pipeline.recentBuilds.length > 0 ? (
        <ol className="build-rows" aria-label="Recent builds">
          {pipeline.recentBuilds.map((build) => (
            <BuildRow key={build.id} build={build} now={now} />
          ))}
        </ol>
      ) : null}
    </a>
  );
});
