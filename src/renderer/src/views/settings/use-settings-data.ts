import { useCallback, useEffect, useState } from 'react';
import type { AppPreferences, SourceKindInfo, SourceSetting } from '../../../../shared/config';
import { errorWords } from '../../format/error-words';
import type { RendererClient } from '../../api/connection';
import { useServices } from '../common/services';

type Loaded = {
  kinds: SourceKindInfo[] | null;
  sources: SourceSetting[] | null;
  preferences: AppPreferences | null;
  error: string | null;
};

export type SettingsData = Loaded & { reload(): Promise<void> };

async function readSettings(api: RendererClient): Promise<Loaded> {
  try {
    const [kinds, sources, preferences] = await Promise.all([
      api['settings/source-kinds']({}),
      api['settings/sources']({}),
      api['settings/app']({}),
    ]);
    return { kinds, sources, preferences, error: null };
  } catch (caught) {
    return { kinds: null, sources: null, preferences: null, error: errorWords(caught) };
  }
}

/**
 * What the Settings page shows: the kinds of source, every source with its settings, and the
 * desktop preferences — read when the page opens and again whenever any client changes sources.
 */
export function useSettingsData(): SettingsData {
  const { api } = useServices();
  const [loaded, setLoaded] = useState<Loaded>({
    kinds: null,
    sources: null,
    preferences: null,
    error: null,
  });
  // A failed re-read keeps what is shown and adds the error.
  const apply = useCallback((next: Loaded) => {
    setLoaded((previous) => (next.error === null ? next : { ...previous, error: next.error }));
  }, []);
  const reload = useCallback(() => readSettings(api).then(apply), [api, apply]);

  useEffect(() => {
    let current = true;
    const read = () =>
      readSettings(api).then((next) => {
        if (current) apply(next);
      });
    void read();
    const unsubscribe = api.on('sources/configured', () => void read());
    return () => {
      current = false;
      unsubscribe();
    };
  }, [api, apply]);

  return { ...loaded, reload };
}
