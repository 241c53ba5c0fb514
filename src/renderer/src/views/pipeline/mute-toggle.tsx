import { useEffect, useState } from 'react';
import { errorWords } from '../../format/error-words';
import { useServices } from '../common/services';

/**
 * Mutes one pipeline's notifications (a gate waiting, turning red, recovering) without touching
 * the others. The setting lives in the core, so it holds for every window and survives restarts.
 */
export function MuteToggle({ pipelineId }: { pipelineId: number }) {
  const { api } = useServices();
  const [muted, setMuted] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api['notifications/settings']({}).then(
      (settings) => {
        if (current) setMuted(settings.mutedPipelineIds.includes(pipelineId));
      },
      (reason: unknown) => {
        if (current) setError(errorWords(reason));
      },
    );
    return () => {
      current = false;
    };
  }, [api, pipelineId]);

  if (muted === null && error === null) return null;
  const toggle = (): void => {
    if (muted === null) return;
    setBusy(true);
    api['notifications/mute']({ pipelineId, muted: !muted })
      .then((settings) => {
        setMuted(settings.mutedPipelineIds.includes(pipelineId));
        setError(null);
      })
      .catch((reason: unknown) => setError(errorWords(reason)))
      .finally(() => setBusy(false));
  };
  return (
    <span className="mute-toggle">
      <button
        type="button"
        className="button button--small"
        data-testid="mute-toggle"
        data-muted={muted ? 'true' : 'false'}
        aria-pressed={muted ?? false}
        disabled={busy || muted === null}
        onClick={toggle}
        title={
          muted
            ? 'Notifications for this pipeline are off. Click to turn them on.'
            : 'Turn off notifications for this pipeline (gates waiting, turning red, recovering).'
        }
      >
        {muted ? 'Unmute notifications' : 'Mute notifications'}
      </button>
      {error ? <span className="mute-error">{error}</span> : null}
    </span>
  );
}
