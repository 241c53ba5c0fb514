import { useEffect } from 'react';
import {
  useBuildDetail,
  useBuildDetailError,
  useBuilds,
  useBuildsError,
  useBuildsLoaded,
  usePipeline,
} from '../../store/selectors';
import { AppHeader } from '../common/app-header';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { BuildList } from './build-list';
import { BuildView } from './build-view';

/**
 * `#/pipelines/:id[/builds/:buildId]`: the builds of one pipeline and the selected build as a
 * graph. Without a build in the route it follows the latest build as new ones arrive.
 */
export function PipelineView({
  pipelineId,
  buildId,
}: {
  pipelineId: number;
  buildId: number | null;
}) {
  const { loaders } = useServices();
  const summary = usePipeline(pipelineId);
  const builds = useBuilds();
  const buildsLoaded = useBuildsLoaded();
  const buildsError = useBuildsError();
  const detail = useBuildDetail();
  const detailError = useBuildDetailError();
  const selectedBuildId = buildId ?? builds[0]?.id ?? null;

  useEffect(() => {
    void loaders.loadBuilds(pipelineId);
    return () => loaders.closePipeline();
  }, [loaders, pipelineId]);

  useEffect(() => {
    if (selectedBuildId !== null) void loaders.loadBuildDetail(selectedBuildId);
  }, [loaders, selectedBuildId]);

  const name = summary?.name ?? detail?.pipeline.name ?? `Pipeline ${pipelineId}`;
  const shown = detail !== null && detail.build.id === selectedBuildId ? detail : null;
  return (
    <>
      <AppHeader>
        <a href="#/">Pipelines</a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <span aria-current="page">{name}</span>
        {summary ? (
          <span className="pipeline-source">
            {summary.sourceName}
            {summary.isDemo ? <span className="demo-badge">Demo</span> : null}
          </span>
        ) : null}
      </AppHeader>
      <main className="pipeline-page">
        <aside className="pipeline-builds" aria-label="Builds">
          <h2 className="section-title">Builds</h2>
          <ErrorNotice title="Builds could not be read." message={buildsError} />
          {buildsLoaded && builds.length === 0 ? <p className="empty">No builds yet.</p> : null}
          <BuildList builds={builds} pipelineId={pipelineId} selectedBuildId={selectedBuildId} />
        </aside>
        <section className="pipeline-build" aria-label="Selected build">
          <ErrorNotice title="The build could not be read." message={detailError} />
          {shown ? (
            <BuildView key={shown.build.id} detail={shown} />
          ) : detailError === null && selectedBuildId !== null ? (
            <p className="empty">Loading build…</p>
          ) : null}
        </section>
      </main>
    </>
  );
}
