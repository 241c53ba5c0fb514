import type { StateCreator } from 'zustand';
import type { InboxItem } from '../../../../shared/model';
import { keepUnchanged } from '../keep-unchanged';

/** Every gate waiting for a decision, newest first: the inbox, and the count in the header. */
export type InboxSlice = {
  inbox: InboxItem[];
  inboxLoaded: boolean;
  inboxError: string | null;
  setInbox(items: InboxItem[]): void;
  setInboxError(message: string | null): void;
};

/** The inbox slice. Items are matched by gate id, so an unchanged card does not re-render. */
export const createInboxSlice: StateCreator<InboxSlice, [], [], InboxSlice> = (set) => ({
  inbox: [],
  inboxLoaded: false,
  inboxError: null,
  setInbox: (items) =>
    set((state) => ({
      inbox: keepUnchanged(state.inbox.map(withGateId), items.map(withGateId)).map(
        (entry) => entry.item,
      ),
      inboxLoaded: true,
      inboxError: null,
    })),
  setInboxError: (message) => set({ inboxError: message }),
});

function withGateId(item: InboxItem): { id: number; item: InboxItem } {
  return { id: item.gate.id, item };
}
