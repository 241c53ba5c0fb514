import type { ApiBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** The typed API bridge the preload exposes in Electron; absent in a browser. */
    pipewatch?: ApiBridge;
  }
}

export {};
