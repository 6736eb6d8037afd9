// Ctrl+C in the grid: the focused cell as text a spreadsheet pastes back into one cell. Excel and LibreOffice read
// the clipboard's text as tab-separated, with a cell that holds a tab, a line break or a quote written between
// quotes, its quotes doubled (RFC 4180's rule, with tabs) — the same text our own paste reads (paste.ts).

/** One cell as tab-separated text. */
export function tsvCell(text: string): string {
  return /[\t\r\n"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as tab-separated text, lines ended as Windows' clipboard ends them. */
export function toTsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return rows.map((cells) => cells.map(tsvCell).join('\t')).join('\r\n');
}
