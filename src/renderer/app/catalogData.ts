// The workbook's small tables as one answer: what the Catalog holds.
import type { CitationSummary, SourceSummary, WorkbenchApi, WorkbookInfo } from '../../shared/api';
import type { ImportBatch, Location, Metric } from '../../shared/domain';

export interface CatalogData {
  metrics: Metric[];
  sources: SourceSummary[];
  citations: CitationSummary[];
  locations: Location[];
  batches: ImportBatch[];
  info: WorkbookInfo;
}

export async function fetchCatalog(api: WorkbenchApi): Promise<CatalogData> {
  const [metrics, sources, citations, locations, batches, info] = await Promise.all([
    api.listMetrics({}),
    api.listSources({}),
    api.listCitations({}),
    api.listLocations({}),
    api.listImportBatches({}),
    api.getWorkbookInfo({}),
  ]);
  return { metrics, sources, citations, locations, batches, info };
}
