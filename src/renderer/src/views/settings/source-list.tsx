import { useState } from 'react';
import type { SourceKindInfo, SourceSetting } from '../../../../shared/config';
import type { Source } from '../../../../shared/model';
import { healthWord } from '../../format/status-words';
import { errorWords } from '../../format/error-words';
import { useSources } from '../../store/selectors';
import { useServices } from '../common/services';

const ORIGIN_WORDS: Record<SourceSetting['origin'], string> = {
  'config-file': 'From the config file',
  'built-in': 'Built-in demo',
  app: 'Added in Settings',
};

function tokenWords(setting: SourceSetting): string {
  const token = setting.token;
  switch (token.kind) {
    case 'none':
      return 'No token';
    case 'env':
      return `Token from $${token.variable}${token.isSet ? '' : ' (not set)'}`;
    case 'secret':
      return token.isStored ? 'Token stored' : `Token “${token.id}” missing`;
  }
}

function SourceRow({
  setting,
  kind,
  health,
  onEdit,
}: {
  setting: SourceSetting;
  kind: SourceKindInfo | undefined;
  health: Source | undefined;
  onEdit(): void;
}) {
  const { api } = useServices();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorWords(caught));
    } finally {
      setBusy(false);
    }
  };
  const state = !setting.enabled ? 'disabled' : (health?.health.state ?? 'pending');
  return (
    <li className="settings-source" data-testid="settings-source" data-key={setting.key}>
      <div className="settings-source-head">
        <span className="settings-light" data-state={state} aria-hidden="true" />
        <span className="settings-source-name">{setting.name}</span>
        <span className="settings-origin" data-origin={setting.origin}>
          {ORIGIN_WORDS[setting.origin]}
        </span>
      </div>
      <div className="settings-source-facts muted">
        {kind?.label ?? setting.kind} · <code>{setting.key}</code>
        {setting.baseUrl ? (
          <>
            {' '}
            · <span className="settings-source-url">{setting.baseUrl}</span>
          </>
        ) : null}{' '}
        · {tokenWords(setting)} ·{' '}
        {setting.enabled ? (health ? healthWord(health.health.state) : 'Starting') : 'Disabled'}
      </div>
      {health?.health.message && setting.enabled ? (
        <div className="settings-source-message">{health.health.message}</div>
      ) : null}
      {error ? (
        <p className="settings-field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="settings-source-actions">
        {setting.origin === 'config-file' ? (
          <span className="muted">Read-only here: change it in the config file.</span>
        ) : confirming ? (
          <>
            <span>Remove “{setting.name}” with its stored token and its build history?</span>
            <button
              type="button"
              className="button button--small button--danger"
              disabled={busy}
              onClick={() => void act(() => api['settings/remove-source']({ key: setting.key }))}
            >
              Remove
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => setConfirming(false)}
            >
              Keep it
            </button>
          </>
        ) : (
          <>
            {setting.origin === 'app' ? (
              <>
                <button type="button" className="button button--small" onClick={onEdit}>
                  Change
                </button>
                <label className="settings-toggle">
                  <input
                    type="checkbox"
                    checked={setting.enabled}
                    disabled={busy}
                    onChange={(event) =>
                      void act(() =>
                        api['settings/enable-source']({
                          key: setting.key,
                          enabled: event.target.checked,
                        }),
                      )
                    }
                  />
                  Poll
                </label>
              </>
            ) : null}
            <button
              type="button"
              className="button button--small button--danger-outline"
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/** Every source with where it comes from, its health and what can be done with it. */
export function SourceList({
  sources,
  kinds,
  onEdit,
}: {
  sources: readonly SourceSetting[];
  kinds: readonly SourceKindInfo[];
  onEdit(setting: SourceSetting): void;
}) {
  const healths = useSources();
  if (sources.length === 0) {
    return <p className="empty">No sources yet. Add one to start watching pipelines.</p>;
  }
  return (
    <ul className="settings-sources">
      {sources.map((setting) => (
        <SourceRow
          key={setting.key}
          setting={setting}
          kind={kinds.find((kind) => kind.kind === setting.kind)}
          health={healths.find((source) => source.key === setting.key)}
          onEdit={() => onEdit(setting)}
        />
      ))}
    </ul>
  );
}
