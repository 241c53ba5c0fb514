import { useCallback, useEffect, useState } from 'react';
import type { LogText } from '../../../../shared/model';
import { errorWords } from '../../format/error-words';
import { useLogComparison } from '../../logs/use-log-comparison';
import { hrefFor } from '../../routing/hash-route';
import { useBuildDetail, useBuildDetailError } from '../../store/selectors';
import { AppHeader } from '../common/app-header';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { StatusBadge } from '../common/status-badge';
import { LogCompareControl } from './log-compare-control';
import { LogViewer } from './log-viewer';

/** How often a log that is still growing is read again. */
export const LIVE_REFRESH_MS = 3000;

export interface LogPlace {
  pipelineId: number;
  buildId: number;
  stageId: number;
  /** Null for the whole stage's log. */
  stepId: number | null;
  /** 1-based permalinked line. */
  line: number | null;
}

/** A file name for the downloaded log: `catalog-121-performance-tests-load-test.log`. */
export function downloadName(parts: ReadonlyArray<string | number | null | undefined>): string {
  const words = parts
    .filter((part) => part !== null && part !== undefined && part !== '')
    .map((part) =>
      String(part)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
    )
    .filter((part) => part.length > 0);
  return `${words.join('-') || 'log'}.log`;
}

/**
 * Reads a step's (or stage's) log, and reads it again every few seconds while it is still
 * growing. A failed read keeps the text already shown.
 */
function useLogText(place: LogPlace): { log: LogText | null; error: string | null; retry(): void } {
  const { api } = useServices();
  const { stageId, stepId } = place;
  const which = `${stageId}/${stepId ?? 'stage'}`;
  const [attempt, setAttempt] = useState(0);
  // Keyed by the log it is for, so a new route shows nothing old while its log loads.
  const [state, setState] = useState<{ which: string; log: LogText | null; error: string | null }>({
    which,
    log: null,
    error: null,
  });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (): Promise<void> => {
      try {
        const next =
          stepId === null
            ? await api['logs/stage']({ stageId })
            : await api['logs/get']({ stepId });
        if (stopped) return;
        // An unchanged text keeps its identity, so the viewer does not parse it again.
        setState((previous) =>
          previous.which === which &&
          previous.log?.text === next.text &&
          previous.log.complete === next.complete
            ? { ...previous, error: null }
            : { which, log: next, error: null },
        );
        if (!next.complete) timer = setTimeout(() => void read(), LIVE_REFRESH_MS);
      } catch (failure) {
        if (stopped) return;
        setState((previous) => ({
          which,
          log: previous.which === which ? previous.log : null,
          error: errorWords(failure),
        }));
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, stageId, stepId, which, attempt]);

  const current = state.which === which ? state : { log: null, error: null };
  return { log: current.log, error: current.error, retry: () => setAttempt((value) => value + 1) };
}

/**
 * `#/pipelines/:id/builds/:buildId/stages/:stageId[/steps/:stepId]/log[/L123]`: one log,
 * opened at the permalinked line or the first error.
 */
export function LogView({ place }: { place: LogPlace }) {
  const { api, loaders } = useServices();
  const detail = useBuildDetail();
  const detailError = useBuildDetailError();
  const { log, error, retry } = useLogText(place);

  useEffect(() => {
    void loaders.loadBuildDetail(place.buildId);
    return () => loaders.closePipeline();
  }, [loaders, place.buildId]);

  const shown = detail?.build.id === place.buildId ? detail : null;
  const stage = shown?.stages.find((candidate) => candidate.id === place.stageId) ?? null;
  const step =
    place.stepId === null
      ? null
      : (stage?.steps.find((candidate) => candidate.id === place.stepId) ?? null);
  const { pipelineId, buildId, stageId, stepId } = place;
  const lineHref = useCallback(
    (line: number) => hrefFor({ view: 'log', pipelineId, buildId, stageId, stepId, line }),
    [pipelineId, buildId, stageId, stepId],
  );
  const buildHref = hrefFor({ view: 'pipeline', pipelineId, buildId, stageId });
  // Comparing is switched on per log: another log opens without it.
  const which = `${stageId}/${stepId ?? 'stage'}`;
  const [compareOn, setCompareOn] = useState<string | null>(null);
  const comparison = useLogComparison(api, stageId, stepId, compareOn === which);
  const baselineHref = useCallback(
    (baseline: { buildId: number; stageId: number; stepId: number | null }) =>
      hrefFor({ view: 'log', pipelineId, ...baseline, line: null }),
    [pipelineId],
  );
  const title = step?.name ?? (stage ? `${stage.name} (whole stage)` : 'Log');

  return (
    <>
      <AppHeader>
        <a href="#/">Pipelines</a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <a href={hrefFor({ view: 'pipeline', pipelineId, buildId: null })}>
          {shown?.pipeline.name ?? `Pipeline ${pipelineId}`}
        </a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <a href={buildHref}>Build #{shown?.build.number ?? '…'}</a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <span aria-current="page">{stage ? `${stage.name} · ${title}` : title}</span>
      </AppHeader>
      <main className="log-page">
        <header className="log-page-head">
          <a className="log-back" href={buildHref} aria-label="Back to the build">
            ←
          </a>
          <h2>{title}</h2>
          {step ? (
            <StatusBadge status={step.status} detail={step.statusDetail} />
          ) : stage ? (
            <StatusBadge status={stage.status} detail={stage.statusDetail} />
          ) : null}
          {stage && step ? <span className="muted">in {stage.name}</span> : null}
          {log && !log.complete ? (
            <span className="log-live" role="status">
              Live · following the log as it grows
            </span>
          ) : null}
        </header>
        <ErrorNotice title="The build could not be read." message={detailError} />
        {error ? (
          <div className="notice notice--error log-error" role="alert">
            <strong>The log could not be read. </strong>
            <span>{error}</span>{' '}
            <button type="button" className="button button--small" onClick={retry}>
              Try again
            </button>
          </div>
        ) : null}
        {log ? (
          <LogViewer
            text={log.text}
            complete={log.complete}
            initialLine={place.line}
            lineHref={lineHref}
            downloadName={downloadName([
              shown?.pipeline.name,
              shown?.build.number,
              stage?.name,
              step?.name,
            ])}
            webUrl={stage?.webUrl ?? null}
            newLines={comparison.phase === 'done' ? comparison.newLines : undefined}
            toolbarExtra={(tools) => (
              <LogCompareControl
                key={which}
                state={comparison}
                onToggle={(on) => setCompareOn(on ? which : null)}
                baselineHref={baselineHref}
                tools={tools}
              />
            )}
          />
        ) : error === null ? (
          <p className="empty">Fetching the log…</p>
        ) : null}
      </main>
    </>
  );
}
