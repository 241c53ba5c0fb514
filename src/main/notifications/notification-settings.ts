import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  NO_PREFERENCES,
  notificationPreferencesSchema,
  type NotificationPreferences,
} from './notification-rules';

/** The notification preferences of one data folder, read and changed by the settings operations. */
export interface NotificationSettings {
  get(): NotificationPreferences;
  /** Mutes or unmutes one pipeline; answers the preferences after the change. */
  setMuted(pipelineId: number, muted: boolean): NotificationPreferences;
  /** "Only my builds": the author names to notify for; empty for everyone's builds. */
  setOnlyAuthors(authors: readonly string[]): NotificationPreferences;
}

/** The file inside a data folder that keeps the preferences across restarts. */
export function notificationSettingsPath(dataDir: string): string {
  return join(dataDir, 'notification-settings.json');
}

/** The preferences with one pipeline muted or unmuted (pure; ids stay sorted and unique). */
export function withMuted(
  preferences: NotificationPreferences,
  pipelineId: number,
  muted: boolean,
): NotificationPreferences {
  const ids = new Set(preferences.mutedPipelineIds);
  if (muted) ids.add(pipelineId);
  else ids.delete(pipelineId);
  return { ...preferences, mutedPipelineIds: [...ids].sort((a, b) => a - b) };
}

/** The preferences with these authors (trimmed, blank and repeated names dropped). */
export function withOnlyAuthors(
  preferences: NotificationPreferences,
  authors: readonly string[],
): NotificationPreferences {
  const names = [...new Set(authors.map((author) => author.trim()).filter(Boolean))];
  return { ...preferences, onlyAuthors: names };
}

/**
 * Preferences kept in a small JSON file (`file` null keeps them in memory only, for tests). A
 * missing or unreadable file means the defaults: a broken settings file must never stop
 * Pipewatch from starting, and the next change rewrites it.
 */
export function createNotificationSettings(file: string | null): NotificationSettings {
  let current = file === null ? NO_PREFERENCES : read(file);
  const change = (next: NotificationPreferences): NotificationPreferences => {
    current = next;
    if (file !== null) write(file, next);
    return current;
  };
  return {
    get: () => current,
    setMuted: (pipelineId, muted) => change(withMuted(current, pipelineId, muted)),
    setOnlyAuthors: (authors) => change(withOnlyAuthors(current, authors)),
  };
}

function read(file: string): NotificationPreferences {
  try {
    const parsed = notificationPreferencesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : NO_PREFERENCES;
  } catch {
    return NO_PREFERENCES;
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
function write(file: string, preferences: NotificationPreferences): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(preferences, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
