import { describe, expect, it } from 'vitest';
import { createIpcClient } from '../../src/renderer/src/api/ipc-client';
import {
  ApiError,
  OPERATION_NAMES,
  type ApiBridge,
  type BridgeResult,
} from '../../src/shared/contract';

/**
 * In the desktop app the preload answers `{ok, value | error}` (contextBridge would keep only a
 * thrown error's message); the renderer's client turns an error answer back into an ApiError
 * with its code, so that a log read that meets a newer copy ("conflict") is opened again there
 * as in serve mode.
 */

function fakeBridge(answer: (name: string, input: unknown) => BridgeResult) {
  const calls: Array<{ name: string; input: unknown }> = [];
  const listeners: string[] = [];
  const operations = Object.fromEntries(
    OPERATION_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        return answer(name, input);
      },
    ]),
  );
  const bridge = {
    ...operations,
    on: (event: string) => {
      listeners.push(event);
      return () => undefined;
    },
  } as unknown as ApiBridge;
  return { bridge, calls, listeners };
}

describe('the API over Electron IPC', () => {
  it('answers the value of an ok answer', async () => {
    const { bridge, calls } = fakeBridge(() => ({ ok: true, value: { block: 0, text: 'line' } }));
    const api = createIpcClient(bridge);
    const block = await api['logs/block']({ stageId: 3, block: 0, fetchedAt: 'then' });
    expect(block).toEqual({ block: 0, text: 'line' });
    expect(calls).toEqual([
      { name: 'logs/block', input: { stageId: 3, block: 0, fetchedAt: 'then' } },
    ]);
  });

  it('throws an error answer as an ApiError with its code and message', async () => {
    const { bridge } = fakeBridge(() => ({
      ok: false,
      error: { code: 'conflict', message: 'The log was fetched again while it was being read.' },
    }));
    const api = createIpcClient(bridge);
    const failure = await api['logs/block']({ stageId: 3, block: 1, fetchedAt: 'then' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      code: 'conflict',
      message: 'The log was fetched again while it was being read.',
    });
  });

  it('passes event subscriptions to the bridge', () => {
    const { bridge, listeners } = fakeBridge(() => ({ ok: true, value: null }));
    createIpcClient(bridge).on('builds/changed', () => undefined);
    expect(listeners).toEqual(['builds/changed']);
  });
});
