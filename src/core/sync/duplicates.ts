// Entities that may be the same thing under two ids (two analysts each created "Gaza Ministry of Health"), found by
// key collision as OpenRefine's clustering does: names reduced to a fingerprint (case, accents, punctuation and word
// order set aside). They are offered for merging (mergeSources, mergeCitations, mergeMetrics, mergeLocations),
// never merged by themselves.
import type Database from 'better-sqlite3';
import type { DuplicateCandidate, DuplicateEntity } from '../../shared/api';

export type { DuplicateCandidate };

/** OpenRefine's fingerprint: lower case, no accents or punctuation, each word once, in sorted order. */
export function fingerprint(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{C}]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return [...new Set(words)].sort().join(' ');
}

/** A URL as two analysts may have typed the same one: no scheme, no "www.", no trailing slash, host in lower case. */
function urlKey(url: string): string {
  const trimmed = url
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  return slash < 0 ? trimmed.toLowerCase() : trimmed.slice(0, slash).toLowerCase() + trimmed.slice(slash);
}

interface Keyed {
  id: string;
  name: string;
  keys: Array<{ key: string; reason: string }>;
}

const KEYS: Record<
  DuplicateEntity,
  { sql: string; keys: (row: Record<string, string | null>) => Keyed['keys']; name: (row: Record<string, string | null>) => string }
> = {
  source: {
    sql: 'SELECT id, name, short_name FROM source',
    name: (r) => r.name!,
    keys: (r) =>
      [r.name, r.short_name]
        .filter((n): n is string => Boolean(n))
        .map((n) => ({ key: fingerprint(n), reason: `the same name or short name ("${fingerprint(n)}")` })),
  },
  citation: {
    sql: 'SELECT id, title, publisher, url FROM citation',
    name: (r) => r.title ?? r.url ?? r.id!,
    keys: (r) => [
      ...(r.url ? [{ key: `url ${urlKey(r.url)}`, reason: `the same URL (${urlKey(r.url)})` }] : []),
      ...(r.title ? [{ key: `title ${fingerprint(r.title)} | ${fingerprint(r.publisher ?? '')}`, reason: 'the same title and publisher' }] : []),
    ],
  },
  metric: {
    sql: 'SELECT id, code, label FROM metric',
    name: (r) => r.code!,
    keys: (r) => [
      { key: `code ${fingerprint(r.code!.replace(/_/g, ' '))}`, reason: 'the same code' },
      { key: `label ${fingerprint(r.label!)}`, reason: `the same label ("${r.label}")` },
    ],
  },
  location: {
    sql: 'SELECT id, name FROM location',
    name: (r) => r.name!,
    keys: (r) => [{ key: fingerprint(r.name!), reason: `the same name ("${fingerprint(r.name!)}")` }],
  },
};

/** Every pair of entities of one kind that share a key, once each, in a stable order. */
export function findDuplicates(db: Database.Database): DuplicateCandidate[] {
  const found: DuplicateCandidate[] = [];
  for (const entity of Object.keys(KEYS) as DuplicateEntity[]) {
    const spec = KEYS[entity];
    const groups = new Map<string, Array<{ id: string; name: string; reason: string }>>();
    for (const row of db.prepare(spec.sql).all() as Array<Record<string, string | null>>) {
      for (const { key, reason } of spec.keys(row)) {
        if (!key.trim()) continue;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = []));
        if (!group.some((g) => g.id === row.id)) group.push({ id: row.id!, name: spec.name(row), reason });
      }
    }
    const pairs = new Map<string, DuplicateCandidate>();
    for (const group of groups.values()) {
      const sorted = [...group].sort((a, b) => (a.id < b.id ? -1 : 1));
      for (let i = 0; i < sorted.length; i += 1) {
        for (let j = i + 1; j < sorted.length; j += 1) {
          const [a, b] = [sorted[i]!, sorted[j]!];
          const key = `${a.id} ${b.id}`;
          if (!pairs.has(key)) pairs.set(key, { entity, ids: [a.id, b.id], names: [a.name, b.name], reason: a.reason });
        }
      }
    }
    found.push(...[...pairs.values()].sort((x, y) => (x.ids.join() < y.ids.join() ? -1 : 1)));
  }
  return found;
}
