import { usePipelineIds, usePipelinesError, usePipelinesLoaded } from '../../store/selectors';
import { AppHeader } from '../common/app-header';
import { ErrorNotice } from '../common/error-notice';
import { PipelineCard } from './pipeline-card';
import { SourceHealthStrip } from './source-health-strip';

/** `#/`: every pipeline at a glance, and how each source is doing. */
export function DashboardView() {
  const pipelineIds = usePipelineIds();
  const loaded = usePipelinesLoaded();
  const error = usePipelinesError();
  return (
    <>
      <AppHeader>
        <span aria-current="page">Pipelines</span>
      </AppHeader>
      <main className="dashboard">
        <SourceHealthStrip />
        <ErrorNotice title="Pipelines could not be read." message={error} />
        {loaded && pipelineIds.length === 0 ? (
          <p className="empty">No pipelines yet. Add a source to the config file to watch one.</p>
        ) : null}
        {!loaded && error === null ? <p className="empty">Loading pipelines…</p> : null}
        <div className="pipeline-grid">
          {pipelineIds.map((pipelineId) => (
            <PipelineCard key={pipelineId} pipelineId={pipelineId} />
          ))}
        </div>
      </main>
    </>
  );
}
