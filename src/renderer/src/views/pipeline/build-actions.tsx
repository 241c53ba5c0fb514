import { useState } from 'react';
import type { Build, Source, SourceCapability } from '../../../../shared/model';
import { isActive } from '../../../../shared/status';
import { sourceKindWord } from '../../format/source-kind-words';
import { useAppStore } from '../../store/app-store';
import { useServices } from '../common/services';
import { ActionButton, type ActionAnswer } from './action-button';

/** The source a pipeline's builds come from, once sources are loaded. */
export function useSourceOf(sourceId: number): Source | null {
  return useAppStore((state) => state.sources.find((source) => source.id === sourceId) ?? null);
}

/** Why an action is not offered: null when the source supports any of `capabilities`. */
export function unavailableReason(
  source: Source | null,
  capabilities: readonly SourceCapability[],
  action: string,
): string | null {
  if (source === null) return `${action} is not available until the source is loaded`;
  if (capabilities.some((capability) => source.capabilities.includes(capability))) return null;
  return `${action} is not available for ${sourceKindWord(source.kind)}`;
}

/**
 * Re-run (the failed stages, or all) and cancel, where the provider supports them; otherwise one
 * disabled control that says why. The server's answer is shown in words.
 */
export function BuildActions({ build, source }: { build: Build; source: Source | null }) {
  const { api, loaders } = useServices();
  const [answer, setAnswer] = useState<ActionAnswer | null>(null);
  const onAnswer = (next: ActionAnswer): void => {
    setAnswer(next);
    void loaders.loadBuildDetail(build.id);
    void loaders.loadBuilds(build.pipelineId);
  };
  const has = (capability: SourceCapability): boolean =>
    source?.capabilities.includes(capability) ?? false;
  const running = isActive(build.status);
  const rerunUnavailable = unavailableReason(source, ['rerun-build', 'rerun-failed'], 'Re-run');
  const buttons = [];
  if (!running && rerunUnavailable !== null) {
    buttons.push(
      <ActionButton
        key="rerun"
        label="Re-run"
        unavailable={rerunUnavailable}
        run={() => api['builds/rerun']({ buildId: build.id, scope: 'all' })}
        onAnswer={onAnswer}
        testId="build-rerun"
      />,
    );
  }
  if (
    !running &&
    has('rerun-failed') &&
    (build.status === 'failed' || build.status === 'cancelled')
  ) {
    buttons.push(
      <ActionButton
        key="rerun-failed"
        label="Re-run failed stages"
        unavailable={null}
        run={() => api['builds/rerun']({ buildId: build.id, scope: 'failed' })}
        onAnswer={onAnswer}
        testId="build-rerun-failed"
      />,
    );
  }
  if (!running && has('rerun-build')) {
    buttons.push(
      <ActionButton
        key="rerun-all"
        label="Re-run build"
        unavailable={null}
        run={() => api['builds/rerun']({ buildId: build.id, scope: 'all' })}
        onAnswer={onAnswer}
        testId="build-rerun"
      />,
    );
  }
  if (running && build.status !== 'waiting') {
    buttons.push(
      <ActionButton
        key="cancel"
        label="Cancel build"
        unavailable={unavailableReason(source, ['cancel-build'], 'Cancel')}
        run={() => api['builds/cancel']({ buildId: build.id })}
        onAnswer={onAnswer}
        testId="build-cancel"
        tone="danger"
      />,
    );
  }
  if (buttons.length === 0 && answer === null) return null;
  return (
    <div className="build-actions">
      {buttons}
      {answer ? (
        <span
          className={`action-answer action-answer--${answer.tone}`}
          role="status"
          data-testid="action-answer"
        >
          {answer.text}
        </span>
      ) : null}
    </div>
  );
}
