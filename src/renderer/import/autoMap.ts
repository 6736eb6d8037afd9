// Matching a CSV's headers to the workbook's columns (src/shared/fields.ts): exact names first, then the
// words people commonly use for them. The analyst can change every match before anything is read.
import { CSV_COLUMNS, type CsvColumn, REQUIRED_FOR_IMPORT } from '../../shared/fields';

const SYNONYMS: Record<string, CsvColumn> = {
  date: 'as_of',
  asof: 'as_of',
  report_date: 'as_of',
  reported: 'as_of',
  date_reported: 'as_of',
  claimant: 'source',
  organisation: 'source',
  organization: 'source',
  org: 'source',
  reporter: 'source',
  reporting_org: 'source',
  report_source: 'source',
  title: 'citation_title',
  citation: 'citation_title',
  article: 'citation_title',
  document: 'citation_title',
  link: 'url',
  href: 'url',
  source_url: 'url',
  quote: 'excerpt',
  sentence: 'excerpt',
  quotation: 'excerpt',
  min: 'low',
  minimum: 'low',
  lower: 'low',
  max: 'high',
  maximum: 'high',
  upper: 'high',
  count: 'value',
  number: 'value',
  figure: 'value',
  total: 'value',
  place: 'location',
  area: 'location',
  governorate: 'location',
  crossing: 'location',
  indicator: 'metric',
  measure: 'metric',
  relayed: 'relayed_via',
  via: 'relayed_via',
  start: 'period_start',
  start_date: 'period_start',
  end: 'period_end',
  end_date: 'period_end',
  published_date: 'published',
  publisher_name: 'publisher',
  outlet: 'publisher',
  comment: 'note',
  notes: 'note',
};

export function normaliseHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** CSV header → workbook column (or null: not imported). Each workbook column is fed by one header at most. */
export function autoMap(headers: string[]): Array<CsvColumn | null> {
  const used = new Set<CsvColumn>();
  const pick = (column: CsvColumn | undefined) => {
    if (!column || used.has(column)) return null;
    used.add(column);
    return column;
  };
  const exact = headers.map((h) => pick(CSV_COLUMNS.find((c) => c === normaliseHeader(h))));
  return headers.map((h, i) => exact[i] ?? pick(SYNONYMS[normaliseHeader(h)]));
}

/** True when every header is a workbook column: the app's own format, imported as it is (ids round-trip). */
export function isWorkbookFormat(headers: string[]): boolean {
  return headers.length > 0 && headers.every((h) => (CSV_COLUMNS as readonly string[]).includes(h.trim().toLowerCase()));
}

/** The requirements (REQUIRED_FOR_IMPORT) that neither a mapped column nor a constant meets, in words. */
export function unmetRequirements(columns: Set<string>): string[] {
  return REQUIRED_FOR_IMPORT.filter((alternatives) => !alternatives.some((set) => set.every((c) => columns.has(c)))).map((alternatives) =>
    alternatives.map((set) => set.join(' and ')).join(' or '),
  );
}
