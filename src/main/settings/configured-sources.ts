import type { SourceConfig, SourceOrigin } from '../../shared/config';
import type { AppSources } from './app-sources-file';

/** A source with where its settings come from. */
export interface ConfiguredSource {
  config: SourceConfig;
  origin: SourceOrigin;
}

/**
 * The sources to run: the config file's (or, without a config file, the built-in demo unless it
 * was removed) followed by those added in Settings. An app source whose id the config file also
 * uses is left out and reported: the file wins, as it is what an administrator wrote.
 */
export function mergeConfiguredSources(
  fileSources: readonly SourceConfig[],
  fromFile: boolean,
  app: AppSources,
): { sources: ConfiguredSource[]; shadowed: string[] } {
  const fixed: ConfiguredSource[] =
    !fromFile && app.hideBuiltInDemo
      ? []
      : fileSources.map((config) => ({ config, origin: fromFile ? 'config-file' : 'built-in' }));
  const taken = new Set(fixed.map((entry) => entry.config.id));
  const shadowed: string[] = [];
  const added: ConfiguredSource[] = [];
  for (const config of app.sources) {
    if (taken.has(config.id)) {
      shadowed.push(config.id);
      continue;
    }
    taken.add(config.id);
    added.push({ config, origin: 'app' });
  }
  return { sources: [...fixed, ...added], shadowed };
}
