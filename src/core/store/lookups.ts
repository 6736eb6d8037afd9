// Finding sources, citations, metrics and locations by what people type: a name, a short name, a code or an id.
import type Database from 'better-sqlite3';
import type { Citation, Location, Metric, Source } from '../../shared/domain';

export class Lookups {
  private readonly metricByCodeQuery: Database.Statement;
  private readonly metricByIdQuery: Database.Statement;
  private readonly sourceByNameQuery: Database.Statement;
  private readonly sourceByIdQuery: Database.Statement;
  private readonly locationByNameQuery: Database.Statement;
  private readonly locationByIdQuery: Database.Statement;
  private readonly citationByIdQuery: Database.Statement;
  private readonly citationByUrlQuery: Database.Statement;
  private readonly citationByTitleQuery: Database.Statement;

  constructor(db: Database.Database) {
    this.metricByCodeQuery = db.prepare('SELECT * FROM metric WHERE code = ?');
    this.metricByIdQuery = db.prepare('SELECT * FROM metric WHERE id = ?');
    // A name first, then a short name: "IDF" finds "Israel Defense Forces" when that is its short name.
    this.sourceByNameQuery = db.prepare(
      `SELECT * FROM source WHERE name = @name COLLATE NOCASE OR short_name = @name COLLATE NOCASE
       ORDER BY (name = @name COLLATE NOCASE) DESC, id LIMIT 2`,
    );
    this.sourceByIdQuery = db.prepare('SELECT * FROM source WHERE id = ?');
    this.locationByNameQuery = db.prepare('SELECT * FROM location WHERE name = ? COLLATE NOCASE');
    this.locationByIdQuery = db.prepare('SELECT * FROM location WHERE id = ?');
    this.citationByIdQuery = db.prepare('SELECT * FROM citation WHERE id = ?');
    this.citationByUrlQuery = db.prepare('SELECT * FROM citation WHERE url = ? ORDER BY id LIMIT 1');
    this.citationByTitleQuery = db.prepare('SELECT * FROM citation WHERE title = ? AND publisher IS ? AND url IS NULL ORDER BY id LIMIT 1');
  }

  metric(codeOrId: string): Metric | undefined {
    return (this.metricByCodeQuery.get(codeOrId) ?? this.metricByIdQuery.get(codeOrId)) as Metric | undefined;
  }

  sourceById(id: string): Source | undefined {
    return this.sourceByIdQuery.get(id) as Source | undefined;
  }

  /** By id, exact name, or short name. Returns 'ambiguous' when a short name belongs to several sources. */
  source(nameOrId: string): Source | 'ambiguous' | undefined {
    const byId = this.sourceByIdQuery.get(nameOrId) as Source | undefined;
    if (byId) return byId;
    const matches = this.sourceByNameQuery.all({ name: nameOrId }) as Source[];
    if (matches.length === 0) return undefined;
    const first = matches[0]!;
    if (first.name.toLowerCase() === nameOrId.toLowerCase() || matches.length === 1) return first;
    return 'ambiguous';
  }

  location(nameOrId: string): Location | undefined {
    return (this.locationByIdQuery.get(nameOrId) ?? this.locationByNameQuery.get(nameOrId)) as Location | undefined;
  }

  citationById(id: string): Citation | undefined {
    return this.citationByIdQuery.get(id) as Citation | undefined;
  }

  /** The same document: the same URL; without a URL, the same title and publisher. */
  citation(key: { title: string | null; publisher: string | null; url: string | null }): Citation | undefined {
    if (key.url) return this.citationByUrlQuery.get(key.url) as Citation | undefined;
    if (key.title) return this.citationByTitleQuery.get(key.title, key.publisher) as Citation | undefined;
    return undefined;
  }
}

/**
 * Lookups remembered for the length of one import: a million rows name the same few hundred sources and
 * citations. Only hits are remembered (a miss is followed by a create, found on the next lookup). Valid while
 * the caller holds the workbook's lock, so nothing else renames or merges meanwhile.
 */
export class RememberingLookups extends Lookups {
  // one map per kind of lookup, keyed by the text as given: no key strings built per row
  private readonly remembered = {
    metric: new Map<string, Metric>(),
    sourceById: new Map<string, Source>(),
    source: new Map<string, Source | 'ambiguous'>(),
    location: new Map<string, Location>(),
    citationById: new Map<string, Citation>(),
    citationByUrl: new Map<string, Citation>(),
    citationByTitle: new Map<string, Citation>(),
  };

  /** Forgets everything remembered: after a savepoint took back rows that made sources or citations. */
  forget(): void {
    for (const map of Object.values(this.remembered)) map.clear();
  }

  override metric(codeOrId: string) {
    return remember(this.remembered.metric, codeOrId, () => super.metric(codeOrId));
  }

  override sourceById(id: string) {
    return remember(this.remembered.sourceById, id, () => super.sourceById(id));
  }

  override source(nameOrId: string) {
    return remember(this.remembered.source, nameOrId, () => super.source(nameOrId));
  }

  override location(nameOrId: string) {
    return remember(this.remembered.location, nameOrId, () => super.location(nameOrId));
  }

  override citationById(id: string) {
    return remember(this.remembered.citationById, id, () => super.citationById(id));
  }

  override citation(key: { title: string | null; publisher: string | null; url: string | null }) {
    // the same rule as Lookups.citation: by URL when there is one, else by title and publisher
    if (key.url) return remember(this.remembered.citationByUrl, key.url, () => super.citation(key));
    if (key.title) return remember(this.remembered.citationByTitle, `${key.title}\0${key.publisher ?? ''}`, () => super.citation(key));
    return undefined;
  }
}

/** Only hits are remembered: a miss is followed by a create, found on the next lookup. */
function remember<T>(map: Map<string, T>, key: string, find: () => T | undefined): T | undefined {
  const known = map.get(key);
  if (known !== undefined) return known;
  const found = find();
  if (found !== undefined) map.set(key, found);
  return found;
}
