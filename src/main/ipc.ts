import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  OPERATION_NAMES,
  parseInput,
  type ApiErrorBody,
  type OperationName,
} from '../shared/contract';
import type { Core } from './core-types';
import { errorResponseFor } from './server/error-responses';

/**
 * The contract over Electron IPC: one `ipcMain.handle('pipewatch:<operation>')` per operation and
 * one event channel. The preload (src/preload/index.ts) uses the same channel names; it may not
 * import main, so they are repeated there.
 */
export const OPERATION_CHANNEL_PREFIX = 'pipewatch:';
export const EVENT_CHANNEL = 'pipewatch:event';

/** What every handler answers; the preload turns `ok: false` back into a thrown error. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

/**
 * Registers one handler per operation. Each refuses senders other than the app's own main frame
 * (`isTrustedSender`), validates its input with the contract's schema and returns an `IpcResult`,
 * so no exception (or stack) crosses into the renderer. Returns a function that unregisters them.
 */
export function registerIpcHandlers(options: {
  core: Core;
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean;
  log: (line: string) => void;
}): () => void {
  const { core, isTrustedSender, log } = options;
  const handle = async (
    name: OperationName,
    event: IpcMainInvokeEvent,
    input: unknown,
  ): Promise<IpcResult> => {
    if (!isTrustedSender(event)) {
      log(`Refused IPC ${name} from ${event.senderFrame?.url ?? 'a destroyed frame'}.`);
      return {
        ok: false,
        error: { code: 'unauthorized', message: 'This page may not call Pipewatch.' },
      };
    }
    try {
      // parseInput validated `input` for this very operation; the index cannot carry that type.
      const handler = core.api[name] as (parsed: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parseInput(name, input)) };
    } catch (error) {
      const answer = errorResponseFor(error);
      if (answer.unexpected) {
        log(
          `IPC ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      return { ok: false, error: answer.body };
    }
  };
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(`${OPERATION_CHANNEL_PREFIX}${name}`, (event, input: unknown) =>
      handle(name, event, input),
    );
  }
  return () => {
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(`${OPERATION_CHANNEL_PREFIX}${name}`);
  };
}

/**
 * Forwards the core's events to the window current at the time of each event (macOS can close
 * and reopen it). Returns the unsubscribe.
 */
export function forwardEvents(core: Core, target: () => WebContents | null): () => void {
  return core.subscribe((event) => {
    const contents = target();
    if (contents !== null && !contents.isDestroyed()) {
      contents.send(EVENT_CHANNEL, event.name, event.payload);
    }
  });
}
