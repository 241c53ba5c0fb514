import { ApiError } from '../../shared/contract';
import type { SourceCapability } from '../../shared/model';
import type { ActionAnswer, CiSource } from '../sources/source';
import { SourceError } from '../sources/source';
import type { Store } from '../store/store';

export interface BuildActionDependencies {
  store: Store;
  sourceFor(sourceKey: string): CiSource | undefined;
  /** Polls the source soon, so the effect shows without waiting for the next turn. */
  refresh(sourceKey: string): void;
}

/**
 * Re-run, cancel and retry on the CI server. Each is offered only where the provider supports it
 * (the source's capabilities); asking anyway gets a sentence that says so, not a failed request.
 */
export function createBuildActions(dependencies: BuildActionDependencies) {
  const { store } = dependencies;

  async function act(
    sourceKey: string,
    capability: SourceCapability,
    what: string,
    run: (source: CiSource) => Promise<ActionAnswer> | undefined,
  ): Promise<ActionAnswer> {
    const source = dependencies.sourceFor(sourceKey);
    if (!source)
      throw new ApiError('conflict', 'The source of this build is no longer configured.');
    const attempt = source.capabilities.includes(capability) ? run(source) : undefined;
    if (!attempt)
      throw new ApiError('conflict', `This source's CI server does not support ${what}.`);
    try {
      const answer = await attempt;
      dependencies.refresh(sourceKey);
      return answer;
    } catch (error) {
      if (error instanceof SourceError) {
        throw new ApiError('source-error', `The CI server refused to ${what}: ${error.message}`);
      }
      throw error;
    }
  }

  function buildContext(buildId: number) {
    const detail = store.getBuildDetail(buildId);
    const sourceKey = detail ? store.sourceKeyOfPipeline(detail.pipeline.id) : null;
    if (!detail || sourceKey === null)
      throw new ApiError('not-found', `There is no build ${buildId}.`);
    const ref = {
      pipelineExternalId: detail.pipeline.externalId,
      buildExternalId: detail.build.externalId,
    };
    return { sourceKey, ref };
  }

  return {
    rerunBuild(buildId: number, scope: 'all' | 'failed'): Promise<ActionAnswer> {
      const { sourceKey, ref } = buildContext(buildId);
      const capability = scope === 'all' ? 'rerun-build' : 'rerun-failed';
      const what = scope === 'all' ? 're-run the whole build' : 're-run only the failed stages';
      return act(sourceKey, capability, what, (source) => source.rerunBuild?.(ref, scope));
    },
    cancelBuild(buildId: number): Promise<ActionAnswer> {
      const { sourceKey, ref } = buildContext(buildId);
      return act(sourceKey, 'cancel-build', 'cancel the build', (source) =>
        source.cancelBuild?.(ref),
      );
    },
    retryStage(stageId: number): Promise<ActionAnswer> {
      const context = store.getStageContext(stageId);
      if (!context) throw new ApiError('not-found', `There is no stage ${stageId}.`);
      const ref = {
        pipelineExternalId: context.pipeline.externalId,
        buildExternalId: context.build.externalId,
        stageExternalId: context.stage.externalId,
      };
      return act(context.sourceKey, 'retry-stage', `retry stage ${context.stage.name}`, (source) =>
        source.retryStage?.(ref),
      );
    },
  };
}
