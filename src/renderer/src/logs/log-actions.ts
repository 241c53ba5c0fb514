/** What the viewer does outside the page: copying a line or a link. */

/** Copies text to the clipboard; false where the page may not (no secure context, denied). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** An absolute URL for a hash route of this page (a permalink to paste elsewhere). */
export function absoluteLink(hash: string): string {
  return new URL(hash, window.location.href).toString();
}
