import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_NAMES,
  OPERATION_NAMES,
  type ApiBridge,
  type BridgeResult,
  type EventName,
  type OperationName,
} from '../shared/contract';

/**
 * Exposes the API contract to the renderer as `window.pipewatch`: one function per operation and
 * `on(event, listener)`. Nothing else crosses — never ipcRenderer itself, which would let a page
 * send on any channel. The channel names match src/main/ipc.ts (the preload may not import main).
 */

const OPERATION_CHANNEL_PREFIX = 'pipewatch:';
const EVENT_CHANNEL = 'pipewatch:event';

/**
 * Answers the main process's `{ok, value | error}` as it is: contextBridge would copy only the
 * message of a thrown error into the page, so the renderer's IPC client throws it there.
 */
async function invoke(name: OperationName, input: unknown): Promise<BridgeResult> {
  return (await ipcRenderer.invoke(`${OPERATION_CHANNEL_PREFIX}${name}`, input)) as BridgeResult;
}

function on(event: EventName, listener: (payload: unknown) => void): () => void {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) {
    throw new Error(`Unknown Pipewatch event "${String(event)}".`);
  }
  if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
  const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
}

const operations = Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, (input?: unknown) => invoke(name, input)]),
);

const api = { ...operations, on } as unknown as ApiBridge;

contextBridge.exposeInMainWorld('pipewatch', api);
