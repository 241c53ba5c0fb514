import type { ApiClient } from '../../../shared/contract';
import { errorWords } from '../format/error-words';
import type { useAppStore } from './app-store';

/** How many audit entries the audit view reads (the API's maximum). */
export const AUDIT_ENTRIES = 10_000;

/** Reads for the approvals inbox and the audit trail. */
export type ApprovalLoaders = {
  loadInbox(): Promise<void>;
  loadAudit(): Promise<void>;
};

/** Runs a read at most once at a time (the `once` of `createLoaders`). */
export type SingleFlight = (key: string, read: () => Promise<void>) => Promise<void>;

/** The approvals' loaders, sharing the single-flight of the other loaders. */
export function createApprovalLoaders(
  api: ApiClient,
  once: SingleFlight,
  store: typeof useAppStore,
): ApprovalLoaders {
  return {
    loadInbox: () =>
      once('inbox', async () => {
        try {
          store.getState().setInbox(await api['gates/inbox']({}));
        } catch (error) {
          store.getState().setInboxError(errorWords(error));
        }
      }),
    loadAudit: () =>
      once('audit', async () => {
        try {
          store.getState().setAudit(await api['audit/list']({ limit: AUDIT_ENTRIES }));
        } catch (error) {
          store.getState().setAuditError(errorWords(error));
        }
      }),
  };
}
