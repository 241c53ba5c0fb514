import { useState, type FormEvent } from 'react';
import {
  MAX_LOG_STORAGE_MEGABYTES,
  MIN_LOG_STORAGE_MEGABYTES,
  type AppPreferences,
} from '../../../../shared/config';
import { errorWords } from '../../format/error-words';
import { useServices } from '../common/services';

/** "312 MB" for a size in bytes (decimal megabytes below a gigabyte, as a person reads them). */
export function storageWords(bytes: number): string {
  if (bytes < 1e6) return `${Math.round(bytes / 1e3).toLocaleString('en-US')} kB`;
  if (bytes < 1e9) return `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
  return `${(bytes / 1e9).toLocaleString('en-US', { maximumFractionDigits: 1 })} GB`;
}

/** Why a typed budget cannot be saved, or null when it can. */
export function budgetProblem(text: string): string | null {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value)) return 'Type a whole number of MiB.';
  if (value < MIN_LOG_STORAGE_MEGABYTES || value > MAX_LOG_STORAGE_MEGABYTES) {
    return `Between ${MIN_LOG_STORAGE_MEGABYTES} and ${MAX_LOG_STORAGE_MEGABYTES.toLocaleString('en-US')} MiB.`;
  }
  return null;
}

/**
 * The disk stored logs may take: what they take now, the budget, and a field to change it.
 * Past the budget the logs fetched longest ago go, at once and whenever a log is stored.
 */
export function LogStorageSetting({ initial }: { initial: AppPreferences['logStorage'] }) {
  const { api } = useServices();
  const [current, setCurrent] = useState(initial);
  const [draft, setDraft] = useState(String(initial.budgetMegabytes));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = (event: FormEvent): void => {
    event.preventDefault();
    const problem = budgetProblem(draft);
    setSaved(false);
    setError(problem);
    if (problem !== null) return;
    api['settings/app-update']({ logStorageMegabytes: Number(draft) })
      .then((answer) => {
        setCurrent(answer.logStorage);
        setDraft(String(answer.logStorage.budgetMegabytes));
        setSaved(true);
      })
      .catch((caught: unknown) => setError(errorWords(caught)));
  };

  return (
    <section className="settings-section" aria-labelledby="settings-logs">
      <h2 id="settings-logs" className="section-title">
        Stored logs
      </h2>
      <p className="settings-storage-use" data-testid="log-storage-use">
        Logs and their search index take <strong>{storageWords(current.usedBytes)}</strong> of{' '}
        {current.budgetMegabytes.toLocaleString('en-US')} MiB. Past the budget, the logs fetched
        longest ago are removed; logs outlive the CI server&apos;s own retention until then.
      </p>
      <form className="settings-storage-form" onSubmit={save} noValidate>
        <div className="settings-field">
          <label htmlFor="log-storage-budget">
            Disk for stored logs (MiB){' '}
            <span className="settings-field-hint">
              {current.setIn === 'settings'
                ? 'set here'
                : 'from the config file (retention.logStorageMegabytes) or the default'}
            </span>
          </label>
          <input
            id="log-storage-budget"
            type="number"
            min={MIN_LOG_STORAGE_MEGABYTES}
            max={MAX_LOG_STORAGE_MEGABYTES}
            step={1}
            value={draft}
            aria-invalid={error !== null}
            onChange={(event) => {
              setDraft(event.target.value);
              setSaved(false);
            }}
          />
        </div>
        <button type="submit" className="button button--small">
          Save budget
        </button>
      </form>
      {error ? (
        <p className="settings-field-error" role="alert">
          {error}
        </p>
      ) : saved ? (
        <p className="muted" role="status">
          Saved: stored logs may take {current.budgetMegabytes.toLocaleString('en-US')} MiB.
        </p>
      ) : null}
    </section>
  );
}
