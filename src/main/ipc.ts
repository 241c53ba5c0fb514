import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { OPERATION_NAMES, type BridgeResult } from '../shared/contract';
import type { RendererLocation } from './app-url';
import type { Core } from './core-types';
import { checkIpcCall, EVENT_CHANNEL, OPERATION_CHANNEL_PREFIX, type IpcSender } from './ipc-calls';
import { errorResponseFor } from './server/error-responses';

/**
 * The contract over Electron IPC: one `ipcMain.handle('pipewatch:<operation>')` per operation and
 * one event channel. The rules (channel, sender, argument) are the pure `checkIpcCall` in
 * `ipc-calls.ts`, unit-tested without Electron; this file only applies them. Channels that name
 * no operation have no handler, so Electron refuses them before they reach Pipewatch.
 */
export { EVENT_CHANNEL, OPERATION_CHANNEL_PREFIX } from './ipc-calls';

/** What every handler answers; the renderer turns `ok: false` back into a thrown ApiError. */
export type IpcResult = BridgeResult;

function senderOf(
  event: IpcMainInvokeEvent,
  isAppWindow: (contents: WebContents) => boolean,
): IpcSender {
  const frame = event.senderFrame;
  return {
    isAppWindow: isAppWindow(event.sender),
    isMainFrame: frame !== null && frame.parent === null,
    url: frame?.url ?? null,
  };
}

/**
 * Registers one handler per operation. Each refuses senders other than the app's own main frame,
 * validates its input with the contract's schema and returns an `IpcResult`, so no exception (or
 * stack) crosses into the renderer. Returns a function that unregisters them.
 */
export function registerIpcHandlers(options: {
  core: Core;
  location: RendererLocation;
  /** True for the webContents of the app's main window (and nothing else). */
  isAppWindow: (contents: WebContents) => boolean;
  log: (line: string) => void;
}): () => void {
  const { core, location, isAppWindow, log } = options;
  const handle = async (
    channel: string,
    event: IpcMainInvokeEvent,
    input: unknown,
  ): Promise<IpcResult> => {
    const check = checkIpcCall(channel, senderOf(event, isAppWindow), input, location);
    if (!check.ok) {
      if (check.error.code !== 'bad-request') log(`Refused IPC: ${check.reason}.`);
      return { ok: false, error: check.error };
    }
    try {
      // checkIpcCall validated `input` for this very operation; the index cannot carry that type.
      const handler = core.api[check.name] as (parsed: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(check.input) };
    } catch (error) {
      const answer = errorResponseFor(error);
      if (answer.unexpected) {
        log(
          `IPC ${check.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      return { ok: false, error: answer.body };
    }
  };
  const channels = OPERATION_NAMES.map((name) => `${OPERATION_CHANNEL_PREFIX}${name}`);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => handle(channel, event, input));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
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
