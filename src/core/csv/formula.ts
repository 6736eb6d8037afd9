// Spreadsheet formula injection (OWASP "CSV injection"): a text cell that starts with = + - @ tab or CR is run as a
// formula by Excel and LibreOffice. Export prefixes such cells with ' (shown as text, not run); import takes it off
// again, so a round trip keeps the words. Numeric columns are written as numbers and never touched.
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);

export function neutralise(text: string): string {
  return text.length > 0 && TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

export function unneutralise(text: string): string {
  return text.length > 1 && text.charAt(0) === "'" && TRIGGERS.has(text.charAt(1)) ? text.slice(1) : text;
}
