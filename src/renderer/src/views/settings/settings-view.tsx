import '../../styles/settings.css';
import { useState } from 'react';
import type { SourceSetting } from '../../../../shared/config';
import { errorWords } from '../../format/error-words';
import { AppHeader } from '../common/app-header';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { LogStorageSetting } from './log-storage-setting';
import { SourceForm } from './source-form';
import { editSourceForm, newSourceForm, type SourceForm as FormState } from './source-form-state';
import { SourceList } from './source-list';
import { useSettingsData } from './use-settings-data';

/** What the right-hand panel shows: nothing, the form for a new source, or for an existing one. */
type Editing = { form: FormState; current: SourceSetting | null; id: number } | null;

/** Desktop-only preferences; serve mode has none (the answer says null). */
function Preferences({ startAtLogin }: { startAtLogin: boolean | null }) {
  const { api } = useServices();
  const [value, setValue] = useState(startAtLogin);
  const [error, setError] = useState<string | null>(null);
  if (value === null) return null;
  return (
    <section className="settings-section" aria-labelledby="settings-app">
      <h2 id="settings-app" className="section-title">
        This computer
      </h2>
      <label className="settings-toggle">
        <input
          type="checkbox"
          checked={value}
          onChange={(event) => {
            const wanted = event.target.checked;
            api['settings/app-update']({ startAtLogin: wanted })
              .then((answer) => setValue(answer.startAtLogin))
              .catch((caught: unknown) => setError(errorWords(caught)));
          }}
        />
        Start Pipewatch at login (in the tray, without opening the window)
      </label>
      {error ? (
        <p className="settings-field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

/**
 * `#/settings`: the sources — from the config file (read-only), the built-in demo, and those
 * added here — with a form per kind to add or change one, test its connection and pick the
 * pipelines to watch; and the desktop app's preferences.
 */
export function SettingsView() {
  const { loaders } = useServices();
  const { kinds, sources, preferences, error, reload } = useSettingsData();
  const [editing, setEditing] = useState<Editing>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const startAdding = () => {
    const kind = kinds?.find((candidate) => candidate.kind === 'github' && candidate.supported);
    if (kind) setEditing({ form: newSourceForm(kind), current: null, id: Date.now() });
  };

  return (
    <>
      <AppHeader>
        <a href="#/">Pipelines</a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <span aria-current="page">Settings</span>
      </AppHeader>
      <main className="settings-page" data-testid="settings">
        <ErrorNotice title="Settings could not be read." message={error} />
        <div className="settings-columns">
          <section className="settings-section" aria-labelledby="settings-sources">
            <div className="settings-section-head">
              <h1 id="settings-sources">Sources</h1>
              <button
                type="button"
                className="button button--primary"
                data-testid="add-source"
                onClick={startAdding}
                disabled={kinds === null}
              >
                Add a source
              </button>
            </div>
            <p className="muted">
              The CI servers Pipewatch watches. Sources from the config file are shown read-only;
              those added here are kept in the data folder, their tokens in the secret store.
            </p>
            {saved ? (
              <p className="notice settings-saved" role="status">
                {saved}
              </p>
            ) : null}
            {sources && kinds ? (
              <SourceList
                sources={sources}
                kinds={kinds}
                onEdit={(setting) =>
                  setEditing({
                    form: editSourceForm(
                      setting,
                      kinds.find((kind) => kind.kind === setting.kind),
                    ),
                    current: setting,
                    id: Date.now(),
                  })
                }
              />
            ) : (
              <p className="muted">Reading the sources…</p>
            )}
            {preferences ? <Preferences startAtLogin={preferences.startAtLogin} /> : null}
            {preferences ? <LogStorageSetting initial={preferences.logStorage} /> : null}
          </section>
          {editing && kinds ? (
            <SourceForm
              key={editing.id}
              initial={editing.form}
              current={editing.current}
              kinds={kinds}
              onCancel={() => setEditing(null)}
              onSaved={(setting) => {
                setEditing(null);
                setSaved(
                  `“${setting.name}” is saved${setting.enabled ? ' and polling' : ''}. Its pipelines appear on the dashboard after the first poll.`,
                );
                void reload();
                void loaders.loadSources();
                void loaders.loadPipelines();
              }}
            />
          ) : null}
        </div>
      </main>
    </>
  );
}
