/**
 * The provider's word where a status loses something (Jenkins "Unstable", Buildbot "Warnings").
 * Nullable, so every stored row reads as "the status says it all" until its build changes.
 */
export const statusDetail = `
ALTER TABLE builds ADD COLUMN status_detail TEXT;
ALTER TABLE stages ADD COLUMN status_detail TEXT;
ALTER TABLE steps ADD COLUMN status_detail TEXT;
`;
