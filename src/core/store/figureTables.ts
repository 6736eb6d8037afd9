// The relations a figure read names: the head's tables, or the views of the workbook as recorded on a moment
// (recorded.ts). A read takes them as a parameter and names nothing else.

/** The relations a figure read draws on. */
export interface FigureTables {
  /** the figures, to be read with a WHERE (its terms reach the indexes) */
  figure: string;
  /** a figure by id, once a read has its id from `figure`: as recorded on a moment, a join SQLite can look up in
   * where the union `figure` would be read whole */
  figureById: string;
  metric: string;
  source: string;
  citation: string;
  location: string;
}

export const HEAD_TABLES: FigureTables = {
  figure: 'figure',
  figureById: 'figure',
  metric: 'metric',
  source: 'source',
  citation: 'citation',
  location: 'location',
};

export const RECORDED_TABLES: FigureTables = {
  figure: 'temp.recorded_figure',
  figureById: 'temp.recorded_figure_by_id',
  metric: 'temp.recorded_metric',
  source: 'temp.recorded_source',
  citation: 'temp.recorded_citation',
  location: 'temp.recorded_location',
};
