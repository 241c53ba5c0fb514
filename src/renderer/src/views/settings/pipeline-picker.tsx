import { useId, useState } from 'react';
import type { PipelineOffer, SourceDraft } from '../../../../shared/config';
import { errorWords } from '../../format/error-words';
import { useServices } from '../common/services';
import { pickedValues, withPicked, type SourceForm } from './source-form-state';

/**
 * Picks the pipelines to watch from what the source offers (GitHub: its repositories'
 * workflows), searchable, instead of typing file names. Nothing picked watches every active one.
 */
export function PipelinePicker({
  form,
  option,
  noun,
  draft,
  onChange,
}: {
  form: SourceForm;
  /** The option a pick fills (`workflows`). */
  option: string;
  /** What the source calls them: "workflows". */
  noun: string;
  /** The draft as it would be saved, token included, to ask the source. */
  draft(): SourceDraft;
  onChange(form: SourceForm): void;
}) {
  const { api } = useServices();
  const searchId = useId();
  const [offer, setOffer] = useState<PipelineOffer | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const picked = pickedValues(form, option);

  const list = async () => {
    setLoading(true);
    setError(null);
    try {
      setOffer(await api['settings/offered-pipelines']({ draft: draft() }));
    } catch (caught) {
      setError(errorWords(caught));
    } finally {
      setLoading(false);
    }
  };

  const needle = search.trim().toLowerCase();
  const shown = (offer?.pipelines ?? []).filter(
    (pipeline) =>
      needle === '' ||
      pipeline.name.toLowerCase().includes(needle) ||
      pipeline.value.toLowerCase().includes(needle) ||
      (pipeline.detail ?? '').toLowerCase().includes(needle),
  );
  // Picks the source no longer offers stay visible, so they can be unpicked.
  const offered = new Set((offer?.pipelines ?? []).map((pipeline) => pipeline.value));
  const stale = offer ? picked.filter((value) => !offered.has(value)) : [];

  return (
    <fieldset className="settings-picker" data-testid="pipeline-picker">
      <legend>{noun.charAt(0).toUpperCase() + noun.slice(1)} to watch</legend>
      <p className="settings-field-hint">
        {picked.length === 0
          ? `Every active ${noun.replace(/s$/, '')} is watched. Pick some to watch only those.`
          : `Watching ${picked.join(', ')}.`}
      </p>
      <div className="settings-picker-bar">
        <button type="button" className="button button--small" onClick={list} disabled={loading}>
          {loading ? `Listing ${noun}…` : offer ? `List ${noun} again` : `List ${noun}`}
        </button>
        {offer ? (
          <>
            <label className="visually-hidden" htmlFor={searchId}>
              Search {noun}
            </label>
            <input
              id={searchId}
              type="search"
              placeholder={`Search ${offer.pipelines.length} ${noun}`}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </>
        ) : null}
      </div>
      {error ? (
        <p className="settings-field-error" role="alert">
          {error}
        </p>
      ) : null}
      {offer ? (
        <ul className="settings-picker-list">
          {shown.map((pipeline) => (
            <li key={pipeline.value}>
              <label>
                <input
                  type="checkbox"
                  checked={picked.includes(pipeline.value)}
                  onChange={(event) =>
                    onChange(withPicked(form, option, pipeline.value, event.target.checked))
                  }
                />
                <span className="settings-picker-name">{pipeline.name}</span>
                <span className="settings-picker-detail">
                  {pipeline.detail ?? pipeline.value}
                  {pipeline.active ? '' : ' · disabled'}
                </span>
              </label>
            </li>
          ))}
          {stale.map((value) => (
            <li key={value}>
              <label>
                <input
                  type="checkbox"
                  checked
                  onChange={() => onChange(withPicked(form, option, value, false))}
                />
                <span className="settings-picker-name">{value}</span>
                <span className="settings-picker-detail">not offered by the source any more</span>
              </label>
            </li>
          ))}
          {shown.length === 0 && stale.length === 0 ? (
            <li className="muted">
              No {noun} match “{search}”.
            </li>
          ) : null}
        </ul>
      ) : null}
    </fieldset>
  );
}
