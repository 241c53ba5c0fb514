import type { AuditEntry, InboxItem, SourceKind } from '../../../shared/model';
import { useAppStore } from './app-store';

/* One selector per value, as in `selectors.ts`, for the inbox and the audit trail. */

export const useInbox = (): InboxItem[] => useAppStore((state) => state.inbox);
export const useInboxLoaded = (): boolean => useAppStore((state) => state.inboxLoaded);
export const useInboxError = (): string | null => useAppStore((state) => state.inboxError);
/** How many gates wait; null until the inbox was first read (so no "0" flashes at start-up). */
export const useInboxCount = (): number | null =>
  useAppStore((state) => (state.inboxLoaded ? state.inbox.length : null));

export const useAudit = (): AuditEntry[] => useAppStore((state) => state.audit);
export const useAuditLoaded = (): boolean => useAppStore((state) => state.auditLoaded);
export const useAuditError = (): string | null => useAppStore((state) => state.auditError);

/** The kind of the source with this id (github, gitlab, …), or null while unknown. */
export const useSourceKind = (sourceId: number): SourceKind | null =>
  useAppStore((state) => state.sources.find((source) => source.id === sourceId)?.kind ?? null);
