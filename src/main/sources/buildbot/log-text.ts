/**
 * Buildbot stores stdio logs (type `s`) line by line, each line led by one stream character:
 * `o` stdout, `e` stderr, `h` a header Buildbot wrote (the command, its environment, the exit
 * code), `i` input. Pipewatch shows them as the plain text a terminal would have shown: the marker
 * goes, stderr and header lines stay as they are. Text logs (`t`) and HTML logs (`h`) have no
 * markers.
 */
export function stdioToText(content: string): string {
  if (content === '') return '';
  const lines = content.split('\n');
  const last = lines.length - 1;
  return lines
    .map((line, index) => {
      // The chunk ends with a newline: the empty piece after it is not a line.
      if (index === last && line === '') return line;
      return /^[oehi]/.test(line) ? line.slice(1) : line;
    })
    .join('\n');
}

/** The text of a log chunk, by log type. */
export function logChunkText(type: string | null | undefined, content: string): string {
  return type === 's' ? stdioToText(content) : content;
}
