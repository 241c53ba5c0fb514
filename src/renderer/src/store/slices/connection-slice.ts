import type { StateCreator } from 'zustand';
import type { ConnectionState } from '../../api/connection';

/** The push channel's state and when the data was last refreshed. */
export type ConnectionSlice = {
  connection: ConnectionState;
  /** Milliseconds since the epoch of the last successful read or pushed update. */
  lastUpdatedAt: number | null;
  setConnection(connection: ConnectionState): void;
  markUpdated(at: number): void;
};

/** The connection slice. */
export const createConnectionSlice: StateCreator<ConnectionSlice, [], [], ConnectionSlice> = (
  set,
) => ({
  connection: 'connecting',
  lastUpdatedAt: null,
  setConnection: (connection) => set({ connection }),
  markUpdated: (at) => set({ lastUpdatedAt: at }),
});
