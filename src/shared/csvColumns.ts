// The workbook's CSV format: these columns, in this order. An export writes all of them; an import reads any subset
// (see REQUIRED_FOR_IMPORT). README.md documents each column; HXL_TAGS is the optional hashtag row.

export const CSV_COLUMNS = [
  'id',
  'metric',
  'value',
  'low',
  'high',
  'qualifier',
  'location',
  'as_of',
  'period_start',
  'period_end',
  'source',
  'citation_title',
  'publisher',
  'url',
  'published',
  'excerpt',
  'method',
  'status',
  'note',
  // more, after the fixed core:
  'relayed_via',
  'confidence',
  'retracted_reason',
  'source_id',
  'citation_id',
  'relayed_via_id',
  'metric_label',
  'metric_unit',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Numeric columns: written as bare numbers, never neutralised as formulas. */
export const NUMERIC_COLUMNS: ReadonlySet<CsvColumn> = new Set(['value', 'low', 'high']);

/** HXL hashtags for the export's optional second row. Our own attributes (+min, +max, +claimant…) are in README. */
export const HXL_TAGS: Record<CsvColumn, string> = {
  id: '#meta+id',
  metric: '#indicator+code',
  value: '#indicator+num',
  low: '#indicator+num+min',
  high: '#indicator+num+max',
  qualifier: '#indicator+qualifier',
  location: '#loc+name',
  as_of: '#date+reported',
  period_start: '#date+start',
  period_end: '#date+end',
  source: '#org+name+reporting',
  citation_title: '#meta+source',
  publisher: '#org+name+publisher',
  url: '#meta+url',
  published: '#date+published',
  excerpt: '#description+excerpt',
  method: '#meta+method',
  status: '#status',
  note: '#description+note',
  relayed_via: '#org+name+relayed',
  confidence: '#meta+confidence',
  retracted_reason: '#description+retracted',
  source_id: '#org+id+reporting',
  citation_id: '#meta+source+id',
  relayed_via_id: '#org+id+relayed',
  metric_label: '#indicator+name',
  metric_unit: '#indicator+unit',
};

/**
 * What an import needs, each entry one alternative set: metric; value or low and high; source;
 * citation_title or url; as_of or period_start.
 */
export const REQUIRED_FOR_IMPORT: ReadonlyArray<ReadonlyArray<ReadonlyArray<CsvColumn>>> = [
  [['metric']],
  [['value'], ['low', 'high']],
  [['source'], ['source_id']],
  [['citation_title'], ['url'], ['citation_id']],
  [['as_of'], ['period_start']],
];
