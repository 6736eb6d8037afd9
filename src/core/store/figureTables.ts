// The relations a figure read names: the head's tables, or the views of the workbook as recorded on a moment
// (recorded.ts). A read takes them as a parameter and names nothing else.

/** The relations a figure read draws on. */
export interface FigureTables {
  figure: string;
  metric: string;
  source: string;
  citation: string;
  location: string;
}

export const HEAD_TABLES: FigureTables = { figure: 'figure', metric: 'metric', source: 'source', citation: 'citation', location: 'location' };

export const RECORDED_TABLES: FigureTables = {
  figure: 'temp.recorded_figure',
  metric: 'temp.recorded_metric',
  source: 'temp.recorded_source',
  citation: 'temp.recorded_citation',
  location: 'temp.recorded_location',
};
