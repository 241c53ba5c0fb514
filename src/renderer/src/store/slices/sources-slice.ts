import type { StateCreator } from 'zustand';
import type { Source } from '../../../../shared/model';
import { keepUnchanged } from '../keep-unchanged';

/** Every configured source with its health. */
export type SourcesSlice = {
  sources: Source[];
  sourcesError: string | null;
  setSources(sources: Source[]): void;
  /** A pushed `sources/changed` replaces one source in place (or adds it). */
  upsertSource(source: Source): void;
  setSourcesError(message: string | null): void;
};

/** The sources slice. */
export const createSourcesSlice: StateCreator<SourcesSlice, [], [], SourcesSlice> = (set) => ({
  sources: [],
  sourcesError: null,
  setSources: (sources) =>
    set((state) => ({ sources: keepUnchanged(state.sources, sources), sourcesError: null })),
  upsertSource: (source) =>
    set((state) => {
      const index = state.sources.findIndex((existing) => existing.id === source.id);
      const sources =
        index === -1
          ? [...state.sources, source]
          : state.sources.map((existing, position) => (position === index ? source : existing));
      return { sources };
    }),
  setSourcesError: (message) => set({ sourcesError: message }),
});
