/**
 * Saves text as a file from the browser: a Blob behind a temporary link with `download`, so
 * nothing leaves the machine and no server round trip is needed.
 */
export function downloadText(fileName: string, mimeType: string, text: string | string[]): void {
  // Pieces go into the Blob as they are: a log of hundreds of megabytes is never joined first.
  const url = URL.createObjectURL(
    new Blob(typeof text === 'string' ? [text] : text, { type: mimeType }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a moment later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
