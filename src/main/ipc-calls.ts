import {
  ApiError,
  OPERATION_NAMES,
  parseInput,
  type ApiErrorBody,
  type OperationName,
} from '../shared/contract';
import { isAppUrl, type RendererLocation } from './app-url';

/**
 * Which IPC calls main answers, as a pure function the Electron shell (`ipc.ts`) applies to
 * every invoke: the channel must name a contract operation, the sender must be the app's own
 * window, main frame and page, and the argument must pass the operation's zod schema.
 */

/** The channel of each operation: `pipewatch:<operation>`; the preload uses the same names. */
export const OPERATION_CHANNEL_PREFIX = 'pipewatch:';
export const EVENT_CHANNEL = 'pipewatch:event';

/** What main knows about who sent an IPC message. */
export interface IpcSender {
  /** The sender's webContents is the app's main window (not a devtools page, not another window). */
  isAppWindow: boolean;
  /** The message came from the top frame, not an iframe. */
  isMainFrame: boolean;
  /** The sending frame's URL; null when the frame is gone. */
  url: string | null;
}

export type IpcCallCheck =
  | { ok: true; name: OperationName; input: unknown }
  | { ok: false; error: ApiErrorBody; reason: string };

/** The operation a channel names, or null for any other channel. */
export function operationOfChannel(channel: string): OperationName | null {
  if (!channel.startsWith(OPERATION_CHANNEL_PREFIX)) return null;
  const name = channel.slice(OPERATION_CHANNEL_PREFIX.length);
  return (OPERATION_NAMES as readonly string[]).includes(name) ? (name as OperationName) : null;
}

/** Decides one IPC call: the operation and its validated input, or the refusal. */
export function checkIpcCall(
  channel: string,
  sender: IpcSender,
  input: unknown,
  location: RendererLocation,
): IpcCallCheck {
  const name = operationOfChannel(channel);
  if (name === null) {
    return {
      ok: false,
      error: { code: 'bad-request', message: 'There is no such Pipewatch operation.' },
      reason: `unknown channel ${channel.slice(0, 100)}`,
    };
  }
  const trusted =
    sender.isAppWindow &&
    sender.isMainFrame &&
    sender.url !== null &&
    isAppUrl(sender.url, location);
  if (!trusted) {
    return {
      ok: false,
      error: { code: 'unauthorized', message: 'This page may not call Pipewatch.' },
      reason: `${name} from ${sender.url ?? 'a destroyed frame'} (${
        !sender.isAppWindow ? 'another window' : !sender.isMainFrame ? 'a subframe' : 'another page'
      })`,
    };
  }
  try {
    return { ok: true, name, input: parseInput(name, input) };
  } catch (error) {
    if (error instanceof ApiError) {
      return {
        ok: false,
        error: { code: error.code, message: error.message },
        reason: `${name} with bad input`,
      };
    }
    throw error;
  }
}
