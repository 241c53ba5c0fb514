import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../../../shared/contract';
import type { LogHead } from '../../../../shared/log/log-api';
import { errorWords } from '../../format/error-words';
import { sameText, storedLogSource } from '../../logs/stored-log-source';
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

interface HeadState {
  which: string;
  head: LogHead | null;
  error: string | null;
  /** Counts answers, so that a live log is asked again after each one. */
  answers: number;
  /** The stored copy changed under a read: take the next head even if it looks the same. */
  stale: boolean;
  /** Ask the core to fetch the log from the CI server even if it has a complete copy. */
  refresh: boolean;
}

/**
 * Asks what is stored for a step's (or stage's) log (fetching it from the CI server first when it
 * is not stored or still growing), and asks again every few seconds while it grows — once the
 * window has read the copy it has, so that a big live log is never replaced halfway through
 * being read. A failed answer keeps the log already shown.
 */
function useLogHead(place: LogPlace, readDone: boolean) {
  const { api } = useServices();
  const { stageId, stepId } = place;
  const which = `${stageId}/${stepId ?? 'stage'}`;
  const fresh: HeadState = {
    which,
    head: null,
    error: null,
    answers: 0,
    stale: false,
    refresh: false,
  };
  // Keyed by the log it is for, so a new route shows nothing old while its log loads.
  const [state, setState] = useState<HeadState>(fresh);
  const current = state.which === which ? state : fresh;
  const { head, error, answers, stale, refresh } = current;
  const delay =
    (head === null && error === null) || stale
      ? 0
      : head !== null && !head.complete && readDone
        ? LIVE_REFRESH_MS
        : null;

  useEffect(() => {
    if (delay === null) return;
    let stopped = false;
    const ask = async (): Promise<void> => {
      try {
        const next = await api['logs/open']({
          stageId,
          stepId: stepId ?? undefined,
          ...(refresh ? { refresh } : {}),
        });
        if (stopped) return;
        setState((previous) => {
          const kept = previous.which === which && !previous.stale ? previous.head : null;
          // Unchanged text keeps its head, so the viewer does not read it again.
          const head = kept !== null && sameText(kept, next) ? kept : next;
          return {
            which,
            head,
            error: null,
            answers: previous.answers + 1,
            stale: false,
            refresh: false,
          };
        });
      } catch (failure) {
        if (stopped) return;
        setState((previous) => ({
          which,
          head: previous.which === which ? previous.head : null,
          error: errorWords(failure),
          answers: previous.answers + 1,
          stale: false,
          refresh: false,
        }));
      }
    };
    const timer = setTimeout(() => void ask(), delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, stageId, stepId, which, delay, answers, refresh]);

  const retry = useCallback(
    () => setState((previous) => ({ ...previous, error: null, answers: previous.answers + 1 })),
    [],
  );
  /** The stored copy changed while it was read: read the new one. */
  const reopen = useCallback(
    () => setState((previous) => (previous.stale ? previous : { ...previous, stale: true })),
    [],
  );
  /** The copy could not be read (damaged, or the connection failed): fetch it anew. */
  const refetch = useCallback(
    () => setState((previous) => ({ ...previous, stale: true, refresh: true })),
    [],
  );
  return { head, error, retry, reopen, refetch };
}

/**
 * `#/pipelines/:id/builds/:buildId/stages/:stageId[/steps/:stepId]/log[/L123]`: one log,
 * opened at the permalinked line or the first error.
 */
export function LogView({ place }: { place: LogPlace }) {
  const { api, loaders } = useServices();
  const detail = useBuildDetail();
  const detailError = useBuildDetailError();
  const [readDone, setReadDone] = useState(false);
  const { head, error, retry, reopen, refetch } = useLogHead(place, readDone);
  const source = useMemo(() => (head ? storedLogSource(api, head) : null), [api, head]);
  const onReadError = useCallback(
    (failure: unknown) => {
      if (failure instanceof ApiError && failure.code === 'conflict') reopen();
    },
    [reopen],
  );

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
          {head && !head.complete ? (
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
        {head && source ? (
          <LogViewer
            source={source}
            complete={head.complete}
            onRead={setReadDone}
            onReadError={onReadError}
            onRetryRead={refetch}
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
