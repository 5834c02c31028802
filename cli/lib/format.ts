/** Text helpers for what commands print: counted nouns, short lists, aligned tables and shell words. */

/** `plural(1, 'error')` is "1 error", `plural(2, 'error')` "2 errors". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The first `most` items, comma-separated, with ", ..." when there are more. */
export function listSome(items: readonly string[], most: number): string {
  return items.slice(0, most).join(', ') + (items.length > most ? ', ...' : '');
}

/** Rows under a header, each column as wide as its widest cell; the last one is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** An ISO timestamp to the second, as `2026-11-20 14:03:22Z`. */
export function timestamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** `word` as one word for a POSIX shell: as it is when that is safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
