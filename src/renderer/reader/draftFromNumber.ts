// A figure draft from a number the analyst picked in a document: the value and qualifier as read, the sentence (or
// the words selected) as excerpt, the citation and its published date, and suggestions the analyst confirms in the
// grid: the claimant whose name or short name the sentence gives ("IDF estimates…" → Israel Defense Forces), the
// citation's publisher as the relay when it is not the claimant, the metric whose label the number's clause names
// ("15,000 combatants" → Combatants killed), and "estimate" as the method when the sentence calls it one.
import { isClaimDate } from '../../shared/claimDate';
import { type FoundNumber, spanText } from '../../shared/textNumbers';
import type { FigureValues } from '../grid/rows';

export interface DraftCatalog {
  sources: ReadonlyArray<{ id: string; name: string; short_name: string | null }>;
  metrics: ReadonlyArray<{ id: string; label: string }>;
  citation: { id: string; publisher: string | null; published: string | null };
}

export interface NumberDraft {
  values: Partial<FigureValues>;
  /** what was suggested rather than read: the analyst checks these first */
  suggested: { metric: boolean; source: boolean; relay: boolean };
}

export function draftFromNumber(text: string, number: FoundNumber, catalog: DraftCatalog, excerpt?: string): NumberDraft {
  const q = number.quantity;
  const sentence = spanText(text, number.sentence);
  const publisher = publisherSource(catalog);
  const claimant = mentionedSource(sentence, number.index - number.sentence.index, catalog.sources, publisher?.id ?? null) ?? publisher;
  const relay = publisher && claimant && publisher.id !== claimant.id ? publisher : null;
  const metric = metricNamed(spanText(text, number.clause), catalog.metrics);
  const values: Partial<FigureValues> = {
    value: q?.value ?? null,
    low: q?.low ?? null,
    high: q?.high ?? null,
    qualifier: q?.qualifier ?? 'exact',
    vague_words: q?.words ?? null,
    excerpt: (excerpt ?? sentence).trim(),
    citation_id: catalog.citation.id,
    source_id: claimant?.id ?? null,
    relayed_via_id: relay?.id ?? null,
  };
  if (catalog.citation.published && isClaimDate(catalog.citation.published)) values.as_of = catalog.citation.published;
  if (metric) values.metric_id = metric.id;
  if (number.estimate) values.method = 'estimate';
  return { values, suggested: { metric: metric !== null, source: claimant !== null, relay: relay !== null } };
}

/** The source the citation's publisher is (by name or short name): the outlet that relays what it reports. */
function publisherSource(catalog: DraftCatalog): DraftCatalog['sources'][number] | null {
  const publisher = catalog.citation.publisher?.trim().toLowerCase();
  if (!publisher) return null;
  return catalog.sources.find((s) => s.name.toLowerCase() === publisher || s.short_name?.toLowerCase() === publisher) ?? null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The source the sentence names nearest before the number (else nearest after it), the publisher only when no other
 * is named. A short name is matched as written ("IDF", not "idf" inside a word); a full name in any case.
 */
function mentionedSource(sentence: string, at: number, sources: DraftCatalog['sources'], publisherId: string | null): DraftCatalog['sources'][number] | null {
  let before: { source: DraftCatalog['sources'][number]; index: number } | null = null;
  let after: { source: DraftCatalog['sources'][number]; index: number } | null = null;
  for (const source of sources) {
    if (source.id === publisherId) continue;
    const names = [
      [source.name, 'giu'],
      [source.short_name, 'gu'],
    ] as const;
    for (const [name, flags] of names) {
      if (!name || name.trim().length < 2) continue;
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name.trim())}(?![\\p{L}\\p{N}])`, flags);
      for (const match of sentence.matchAll(pattern)) {
        const index = match.index ?? 0;
        if (index < at && (!before || index > before.index)) before = { source, index };
        if (index >= at && (!after || index < after.index)) after = { source, index };
      }
    }
  }
  return before?.source ?? after?.source ?? null;
}

const STOP = new Set(['the', 'and', 'of', 'total', 'per', 'in']);
const wordsOf = (text: string) => (text.toLowerCase().match(/\p{L}+/gu) ?? []).map(stem);
const stem = (word: string) => word.replace(/ies$/, 'y').replace(/s$/, '');

/** The metric whose label's words the clause names most (all of them breaking a tie); null when none or a tie. */
export function metricNamed<M extends { id: string; label: string }>(clause: string, metrics: readonly M[]): M | null {
  const said = new Set(wordsOf(clause));
  let best: { metric: M; score: number; whole: boolean } | null = null;
  let tied = false;
  for (const metric of metrics) {
    const words = wordsOf(metric.label).filter((w) => w.length > 2 && !STOP.has(w));
    const score = words.filter((w) => said.has(w)).length;
    if (score === 0) continue;
    const whole = score === words.length;
    const better = !best || score > best.score || (score === best.score && whole && !best.whole);
    if (better) {
      best = { metric, score, whole };
      tied = false;
    } else if (score === best!.score && whole === best!.whole) {
      tied = true;
    }
  }
  return best && !tied ? best.metric : null;
}
