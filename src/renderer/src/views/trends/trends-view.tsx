import '../../styles/trends.css';
import { useEffect, useMemo } from 'react';
import { formatDuration } from '../../format/duration';
import { useBuilds, useBuildsError, useBuildsLoaded } from '../../store/selectors';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { PipelineHeader } from '../pipeline/pipeline-header';
import { Sparkline } from './sparkline';
import { medianLeadTime, stageTrends, successRate } from './trend-math';

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/**
 * `#/pipelines/:id/trends`: the pipeline's success rate and median lead time from check-in to
 * production, and per stage a duration sparkline over the last builds. It reads the same recent
 * builds as the pipeline view, so pushed updates keep it current.
 */
export function TrendsView({ pipelineId }: { pipelineId: number }) {
  const { loaders } = useServices();
  const builds = useBuilds();
  const loaded = useBuildsLoaded();
  const error = useBuildsError();

  useEffect(() => {
    void loaders.loadBuilds(pipelineId);
    return () => loaders.closePipeline();
  }, [loaders, pipelineId]);

  const rate = useMemo(() => successRate(builds), [builds]);
  const lead = useMemo(() => medianLeadTime(builds), [builds]);
  const stages = useMemo(() => stageTrends(builds), [builds]);
  const count = builds.length;

  return (
    <>
      <PipelineHeader pipelineId={pipelineId} current="trends" />
      <main className="trends-page" data-testid="trends">
        <ErrorNotice title="Builds could not be read." message={error} />
        {loaded && count === 0 ? <p className="empty">No builds yet.</p> : null}
        {count > 0 ? (
          <>
            <section className="trend-figures" aria-label="Pipeline figures">
              <div className="trend-figure" data-testid="trend-success-rate">
                <span className="trend-figure-value">{percent(rate.rate)}</span>
                <span className="trend-figure-label">Success rate</span>
                <span className="trend-figure-note">
                  {rate.settled === 0
                    ? `None of the last ${count} builds has settled yet`
                    : `${rate.green} of ${rate.settled} settled builds went green (last ${count})`}
                </span>
              </div>
              <div className="trend-figure" data-testid="trend-lead-time">
                <span className="trend-figure-value">
                  {lead.milliseconds === null ? '—' : formatDuration(lead.milliseconds)}
                </span>
                <span className="trend-figure-label">Median lead time to production</span>
                <span className="trend-figure-note">
                  {lead.count === 0
                    ? `No build of the last ${count} reached production`
                    : `From check-in to production, over ${lead.count} ${lead.count === 1 ? 'build' : 'builds'}`}
                </span>
              </div>
            </section>
            <section className="trend-stages" aria-label="Stage durations">
              <h2 className="section-title">Stage durations, last {count} builds</h2>
              <table className="trend-table">
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col">Duration, oldest to newest</th>
                    <th scope="col">Median</th>
                    <th scope="col">Latest</th>
                    <th scope="col">Passed</th>
                  </tr>
                </thead>
                <tbody>
                  {stages.map((stage) => {
                    const latest = stage.points.at(-1);
                    return (
                      <tr key={stage.name} data-testid="trend-stage" data-stage={stage.name}>
                        <th scope="row">
                          {stage.isGate ? (
                            <span className="gate-mark" aria-hidden="true">
                              ◆{' '}
                            </span>
                          ) : null}
                          {stage.name}
                        </th>
                        <td>
                          <Sparkline
                            points={stage.points}
                            label={`${stage.name}: durations of ${stage.points.length} finished runs`}
                          />
                        </td>
                        <td className="trend-number">
                          {stage.medianMilliseconds === null
                            ? '—'
                            : formatDuration(stage.medianMilliseconds)}
                        </td>
                        <td className={`trend-number status--${latest?.status ?? 'unknown'}`}>
                          {latest ? formatDuration(latest.milliseconds) : '—'}
                        </td>
                        <td className="trend-number">{percent(stage.passRate)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          </>
        ) : null}
      </main>
    </>
  );
}
