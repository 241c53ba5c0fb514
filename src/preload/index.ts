import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ApiError,
  EVENT_NAMES,
  OPERATION_NAMES,
  type ApiClient,
  type ApiErrorBody,
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

type IpcResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

async function invoke(name: OperationName, input: unknown): Promise<unknown> {
  const result = (await ipcRenderer.invoke(
    `${OPERATION_CHANNEL_PREFIX}${name}`,
    input,
  )) as IpcResult;
  if (result.ok) return result.value;
  // contextBridge copies only an Error's message into the page; the code travels for callers
  // inside the preload world and for tests.
  throw new ApiError(result.error.code, result.error.message);
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

const api = { ...operations, on } as unknown as ApiClient;

contextBridge.exposeInMainWorld('pipewatch', api);
