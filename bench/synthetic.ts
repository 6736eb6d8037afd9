// Seeded synthetic data for benchmarks — clearly marked SYNTHETIC in every citation and note, never real claims.
// 200 sources, 2,000 citations, 12 metrics, 50 locations, 3 years of dates, 10% ranges, UTF-8 text.
import { createWriteStream } from 'node:fs';
import { csvRecords } from '../src/core/csv/csvRecords';
import { CSV_COLUMNS } from '../src/shared/fields';
import { BUILT_IN_METRICS } from '../src/shared/domain';

/** mulberry32: small, fast, seeded. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const EXTRA_METRICS = ['killed_children', 'killed_women', 'medical_staff_killed', 'journalists_killed', 'displaced'].map((code) => ({
  code,
  label: `${code.replace(/_/g, ' ')} (synthetic)`,
  category: 'casualties' as const,
}));
export const METRIC_CODES = [...BUILT_IN_METRICS.map((m) => m.code), ...EXTRA_METRICS.map((m) => m.code)];

const WORDS = [
  'reported',
  'estimated',
  'according to',
  'killed',
  'injured',
  'trucks',
  'crossing',
  'ministry',
  'agency',
  'في غزة',
  'حسب وزارة الصحة',
  'לפי הערכות',
  'בצה"ל',
  '«citation»',
  'naïve café',
];

export interface SyntheticOptions {
  rows: number;
  seed?: number;
}

/** Writes a workbook-format CSV (the columns of CSV_COLUMNS, no ids) and resolves when it is on disk. */
export async function writeSyntheticCsv(path: string, options: SyntheticOptions): Promise<void> {
  const next = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sources = Array.from({ length: 200 }, (_, i) => `Synthetic source ${i + 1}`);
  const locations = Array.from({ length: 50 }, (_, i) => `Synthetic location ${i + 1}`);
  const citations = Array.from({ length: 2000 }, (_, i) => ({
    title: `Synthetic report ${i + 1}`,
    publisher: `Synthetic outlet ${(i % 97) + 1}`,
    url: `https://synthetic.invalid/report/${i + 1}`,
    published: day(Math.floor(next() * 1095)),
  }));
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(csvRecords([[...CSV_COLUMNS]]));
  let batch: string[][] = [];
  for (let i = 0; i < options.rows; i += 1) {
    const citation = pick(citations);
    const ranged = next() < 0.1;
    const value = Math.floor(next() * 50_000);
    const record: Record<string, string> = {
      metric: pick(METRIC_CODES),
      value: ranged ? '' : String(value),
      low: ranged ? String(value) : '',
      high: ranged ? String(value + Math.floor(next() * 5_000)) : '',
      qualifier: pick(['exact', 'exact', 'approximately', 'at_least']),
      location: pick(locations),
      as_of: day(Math.floor(next() * 1095)),
      source: pick(sources),
      citation_title: citation.title,
      publisher: citation.publisher,
      url: citation.url,
      published: citation.published,
      excerpt: `SYNTHETIC ${words(2)} ${value}`,
      method: pick(['reported_count', 'estimate']),
      status: 'draft',
      note: next() < 0.1 ? `SYNTHETIC note ${words(2)}` : '',
    };
    batch.push(CSV_COLUMNS.map((c) => record[c] ?? ''));
    if (batch.length === 5000) {
      await write(csvRecords(batch));
      batch = [];
    }
  }
  if (batch.length) await write(csvRecords(batch));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function day(offset: number): string {
  return new Date(Date.UTC(2023, 9, 7) + offset * 86_400_000).toISOString().slice(0, 10);
}
