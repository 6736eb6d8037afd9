// The workbook's small tables (metrics, sources, citations, locations, import batches), loaded once and again after
// any change to them, so that editors can offer them and panels can show names for ids.
import type { CitationSummary, SourceSummary, WorkbenchApi, WorkbookInfo } from '../../shared/api';
import { type VagueRules, vagueRules } from '../../shared/cells';
import type { ImportBatch, Location, Metric, VagueRule } from '../../shared/domain';

export interface CatalogData {
  metrics: Metric[];
  sources: SourceSummary[];
  citations: CitationSummary[];
  locations: Location[];
  batches: ImportBatch[];
  rules: VagueRule[];
  info: WorkbookInfo;
}

export async function fetchCatalog(api: WorkbenchApi): Promise<CatalogData> {
  const [metrics, sources, citations, locations, batches, rules, info] = await Promise.all([
    api.listMetrics({}),
    api.listSources({}),
    api.listCitations({}),
    api.listLocations({}),
    api.listImportBatches({}),
    api.listVagueRules({}),
    api.getWorkbookInfo({}),
  ]);
  return { metrics, sources, citations, locations, batches, rules, info };
}

export interface Option {
  value: string;
  label: string;
  /** shown dimmed after the label, and searched too */
  detail?: string;
}

export class Catalog {
  metrics: Metric[] = [];
  sources: SourceSummary[] = [];
  citations: CitationSummary[] = [];
  locations: Location[] = [];
  batches: ImportBatch[] = [];
  /** the rule table of vague quantities, as stored: the cell reader reads the Value column by it */
  rules: VagueRule[] = [];
  info: WorkbookInfo | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: WorkbenchApi) {}

  /** Loads the tables (or takes them from an answer already asked for) and tells the listeners. */
  async load(data: Promise<CatalogData> = fetchCatalog(this.api)): Promise<void> {
    Object.assign(this, await data);
    for (const listener of this.listeners) listener();
  }

  /** Only the counts in the top bar, after a write. */
  async refreshInfo(): Promise<WorkbookInfo> {
    this.info = await this.api.getWorkbookInfo({});
    return this.info;
  }

  /** The rule table as the cell reader looks it up, made again only when the rules were loaded again. */
  get vagueRules(): VagueRules {
    if (this.rulesRead?.from !== this.rules) this.rulesRead = { from: this.rules, rules: vagueRules(this.rules) };
    return this.rulesRead.rules;
  }
  private rulesRead: { from: VagueRule[]; rules: VagueRules } | null = null;

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // The grid names every cell's reference through these, for each row drawn and each row sorted: by id in a map,
  // not a scan of thousands of citations.
  metric(id: string | null | undefined): Metric | undefined {
    return id ? (byKey(this.metrics, (m) => [m.id, m.code]).get(id) as Metric | undefined) : undefined;
  }
  source(id: string | null | undefined): SourceSummary | undefined {
    return id ? (byKey(this.sources, (s) => [s.id]).get(id) as SourceSummary | undefined) : undefined;
  }
  citation(id: string | null | undefined): CitationSummary | undefined {
    return id ? (byKey(this.citations, (c) => [c.id]).get(id) as CitationSummary | undefined) : undefined;
  }
  location(id: string | null | undefined): Location | undefined {
    return id ? (byKey(this.locations, (l) => [l.id]).get(id) as Location | undefined) : undefined;
  }
  batch(id: string | null | undefined): ImportBatch | undefined {
    return id ? (byKey(this.batches, (b) => [b.id]).get(id) as ImportBatch | undefined) : undefined;
  }

  metricOptions(): Option[] {
    return this.metrics.map((m) => ({ value: m.id, label: m.label, detail: m.code }));
  }
  sourceOptions(): Option[] {
    return this.sources.map((s) => ({ value: s.id, label: s.name, detail: s.short_name ?? undefined }));
  }
  citationOptions(): Option[] {
    return this.citations.map((c) => ({ value: c.id, label: citationLabel(c), detail: [c.publisher, c.published].filter(Boolean).join(', ') }));
  }
  locationOptions(): Option[] {
    return this.locations.map((l) => ({ value: l.id, label: l.name, detail: l.kind }));
  }
}

/** Each list's items by key, made once per list (a load replaces the lists, and so the maps). */
const indexes = new WeakMap<object[], Map<string, object>>();
function byKey<T extends object>(list: T[], keys: (item: T) => string[]): Map<string, object> {
  let index = indexes.get(list);
  if (!index) {
    index = new Map();
    // the first item with a key wins, as find() did
    for (const item of list) for (const key of keys(item)) if (!index.has(key)) index.set(key, item);
    indexes.set(list, index);
  }
  return index;
}

export function citationLabel(c: { title: string | null; url: string | null }): string {
  return c.title ?? c.url ?? '(untitled)';
}
