/** What the viewer does outside the page: downloading the raw log, copying a link. */

/** Saves `text` as a file through a Blob URL (the text never goes through markup). */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  // The download has started by then; the URL would otherwise pin the text in memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

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
