import { useShallow } from 'zustand/react/shallow';
import type { BuildSummary, PipelineSummary, Source } from '../../../shared/model';
import { useAppStore, type AppState } from './app-store';

/*
 * One selector per value, so a component re-renders only when what it reads changes.
 * Derived arrays go through `useShallow`: a fresh array with the same items is "unchanged".
 */

export const useSources = (): Source[] => useAppStore((state) => state.sources);
export const useSourcesError = (): string | null => useAppStore((state) => state.sourcesError);
export const usePipelinesLoaded = (): boolean => useAppStore((state) => state.pipelinesLoaded);
export const usePipelinesError = (): string | null => useAppStore((state) => state.pipelinesError);
export const useOpenPipelineId = (): number | null => useAppStore((state) => state.openPipelineId);
export const useBuilds = (): BuildSummary[] => useAppStore((state) => state.builds);
export const useBuildsLoaded = (): boolean => useAppStore((state) => state.buildsLoaded);
export const useBuildsError = (): string | null => useAppStore((state) => state.buildsError);
export const useOpenBuildId = (): number | null => useAppStore((state) => state.openBuildId);
export const useBuildDetail = (): AppState['buildDetail'] =>
  useAppStore((state) => state.buildDetail);
export const useBuildDetailError = (): string | null =>
  useAppStore((state) => state.buildDetailError);
export const useConnection = (): AppState['connection'] => useAppStore((state) => state.connection);
export const useLastUpdatedAt = (): number | null => useAppStore((state) => state.lastUpdatedAt);

/** The ids of every pipeline in order; each card then selects its own pipeline. */
export const usePipelineIds = (): number[] =>
  useAppStore(useShallow((state) => state.pipelines.map((pipeline) => pipeline.id)));

/** One pipeline's summary by id. */
export const usePipeline = (pipelineId: number): PipelineSummary | undefined =>
  useAppStore((state) => state.pipelines.find((pipeline) => pipeline.id === pipelineId));

/** Source ids whose health needs attention (anything but ok or pending). */
export const useTroubledSourceIds = (): number[] =>
  useAppStore(
    useShallow((state) =>
      state.sources
        .filter((source) => source.health.state !== 'ok' && source.health.state !== 'pending')
        .map((source) => source.id),
    ),
  );
