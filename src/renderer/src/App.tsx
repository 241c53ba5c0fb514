import { useEffect, useMemo } from 'react';
import type { RendererClient } from './api/connection';
import { useHashRoute } from './routing/use-hash-route';
import { createLoaders } from './store/loaders';
import { subscribeEvents } from './store/subscribe-events';
import { AuditView } from './views/audit/audit-view';
import { AppHeader } from './views/common/app-header';
import { ServicesContext, type Services } from './views/common/services';
import { DashboardView } from './views/dashboard/dashboard-view';
import { InboxView } from './views/inbox/inbox-view';
import { LogSearchView } from './views/logs/log-search-view';
import { LogView } from './views/logs/log-view';
import { MatrixView } from './views/matrix/matrix-view';
import { PipelineView } from './views/pipeline/pipeline-view';
import { SettingsView } from './views/settings/settings-view';
import { TrendsView } from './views/trends/trends-view';

/** The renderer: services for the views, pushed events into the store, and the routes. */
export function App({ api }: { api: RendererClient }) {
  const services = useMemo<Services>(() => ({ api, loaders: createLoaders(api) }), [api]);

  useEffect(() => subscribeEvents(api, services.loaders), [api, services]);
  useEffect(() => {
    void services.loaders.loadSources();
    void services.loaders.loadPipelines();
    void services.loaders.loadInbox();
  }, [services]);

  const route = useHashRoute();
  let view;
  switch (route.view) {
    case 'dashboard':
      view = <DashboardView />;
      break;
    case 'pipeline':
      view = (
        <PipelineView
          pipelineId={route.pipelineId}
          buildId={route.buildId}
          stageId={route.stageId}
        />
      );
      break;
    case 'matrix':
      view = <MatrixView pipelineId={route.pipelineId} />;
      break;
    case 'trends':
      view = <TrendsView pipelineId={route.pipelineId} />;
      break;
    case 'log':
      view = <LogView place={route} />;
      break;
    case 'log-search':
      view = (
        <LogSearchView pipelineId={route.pipelineId} query={route.query} order={route.order} />
      );
      break;
    case 'inbox':
      view = <InboxView />;
      break;
    case 'audit':
      view = <AuditView />;
      break;
    case 'settings':
      view = <SettingsView />;
      break;
    case 'not-found':
      view = (
        <>
          <AppHeader />
          <main className="empty">
            Nothing here. <a href="#/">Back to all pipelines</a>
          </main>
        </>
      );
      break;
  }
  return <ServicesContext value={services}>{view}</ServicesContext>;
}
