/**
 * A fresh idempotency key for one decision. `crypto.randomUUID` exists only in secure contexts;
 * serve mode on a LAN address over plain http is not one, so fall back to random bytes.
 */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
