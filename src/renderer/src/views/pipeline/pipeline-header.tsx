import { hrefFor } from '../../routing/hash-route';
import { usePipeline } from '../../store/selectors';
import { AppHeader } from '../common/app-header';
import { MuteToggle } from './mute-toggle';

/** The ways to look at one pipeline. */
export type PipelineTab = 'builds' | 'matrix' | 'trends' | 'logs';

const TABS: ReadonlyArray<{ tab: PipelineTab; label: string }> = [
  { tab: 'builds', label: 'Builds' },
  { tab: 'matrix', label: 'Matrix' },
  { tab: 'trends', label: 'Trends' },
  { tab: 'logs', label: 'Search logs' },
];

function tabHref(tab: PipelineTab, pipelineId: number): string {
  switch (tab) {
    case 'builds':
      return hrefFor({ view: 'pipeline', pipelineId, buildId: null });
    case 'matrix':
      return hrefFor({ view: 'matrix', pipelineId });
    case 'trends':
      return hrefFor({ view: 'trends', pipelineId });
    case 'logs':
      return hrefFor({ view: 'log-search', pipelineId, query: '', order: 'oldest' });
  }
}

/** The header of every pipeline page: breadcrumbs, source, and the tabs (Builds, Matrix, …). */
export function PipelineHeader({
  pipelineId,
  current,
  fallbackName,
}: {
  pipelineId: number;
  current: PipelineTab;
  fallbackName?: string;
}) {
  const summary = usePipeline(pipelineId);
  const name = summary?.name ?? fallbackName ?? `Pipeline ${pipelineId}`;
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
      <nav className="pipeline-tabs" aria-label="Pipeline views">
        {TABS.map(({ tab, label }) => (
          <a
            key={tab}
            className={`pipeline-tab${tab === current ? ' is-current' : ''}`}
            href={tabHref(tab, pipelineId)}
            aria-current={tab === current ? 'page' : undefined}
            data-testid={`pipeline-tab-${tab}`}
          >
            {label}
          </a>
        ))}
        <MuteToggle pipelineId={pipelineId} />
      </nav>
    </>
  );
}
