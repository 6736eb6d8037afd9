// Records as RFC 4180 CSV text: comma-separated, CRLF after every record, a cell quoted when it holds a comma, a
// quote, a CR or LF (even a lone one: Excel, pandas and Python's csv split the record there otherwise) or
// leading/trailing spaces. papaparse's writer, the same library that reads our CSV.
import Papa from 'papaparse';

export const RECORD_DELIMITER = '\r\n';

export function csvRecords(records: string[][]): string {
  if (records.length === 0) return '';
  return Papa.unparse(records, { newline: RECORD_DELIMITER, quotes: false, escapeFormulae: false, header: false }) + RECORD_DELIMITER;
}
