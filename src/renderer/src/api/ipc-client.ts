import {
  ApiError,
  OPERATION_NAMES,
  type ApiBridge,
  type ApiClient,
  type OperationName,
} from '../../../shared/contract';

/**
 * The API contract over Electron IPC: the preload exposes one function per operation and
 * `on(event, cb)` as `window.pipewatch`, answering `{ok, value | error}`; this client throws an
 * error answer as the ApiError it was in the main process, code included.
 */
export function createIpcClient(bridge: ApiBridge): ApiClient {
  const call = async (name: OperationName, input: unknown): Promise<unknown> => {
    const answer = await (bridge[name] as (input: unknown) => ReturnType<ApiBridge[typeof name]>)(
      input,
    );
    if (answer.ok) return answer.value;
    throw new ApiError(answer.error.code, answer.error.message);
  };
  const operations = Object.fromEntries(
    OPERATION_NAMES.map((name) => [name, (input: unknown) => call(name, input)]),
  );
  return { ...operations, on: (event, listener) => bridge.on(event, listener) } as ApiClient;
}
