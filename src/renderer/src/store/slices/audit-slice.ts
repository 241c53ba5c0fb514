import type { StateCreator } from 'zustand';
import type { AuditEntry } from '../../../../shared/model';

/** The audit trail, read while the audit view is open (and only then kept fresh). */
export type AuditSlice = {
  auditOpen: boolean;
  audit: AuditEntry[];
  auditLoaded: boolean;
  auditError: string | null;
  setAuditOpen(open: boolean): void;
  setAudit(entries: AuditEntry[]): void;
  setAuditError(message: string | null): void;
};

/** The audit slice. */
export const createAuditSlice: StateCreator<AuditSlice, [], [], AuditSlice> = (set) => ({
  auditOpen: false,
  audit: [],
  auditLoaded: false,
  auditError: null,
  setAuditOpen: (open) => set({ auditOpen: open }),
  setAudit: (entries) => set({ audit: entries, auditLoaded: true, auditError: null }),
  setAuditError: (message) => set({ auditError: message }),
});
