import { useEffect } from 'react';
import {
  useBuildDetail,
  useBuildDetailError,
  useBuilds,
  useBuildsError,
  useBuildsLoaded,
} from '../../store/selectors';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { BuildList } from './build-list';
import { BuildView } from './build-view';
import { PipelineHeader } from './pipeline-header';

/**
 * `#/pipelines/:id[/builds/:buildId[/stages/:stageId]]`: the builds of one pipeline and the
 * selected build as a graph. Without a build in the route it follows the latest build as new
 * ones arrive.
 */
export function PipelineView({
  pipelineId,
  buildId,
  stageId,
}: {
  pipelineId: number;
  buildId: number | null;
  stageId?: number;
}) {
  const { loaders } = useServices();
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

  const shown = detail !== null && detail.build.id === selectedBuildId ? detail : null;
  return (
    <>
      <PipelineHeader
        pipelineId={pipelineId}
        current="builds"
        fallbackName={detail?.pipeline.name}
      />
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
            <BuildView key={shown.build.id} detail={shown} stageId={stageId} />
          ) : detailError === null && selectedBuildId !== null ? (
            <p className="empty">Loading build…</p>
          ) : null}
        </section>
      </main>
    </>
  );
}
