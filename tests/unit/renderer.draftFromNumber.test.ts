// A figure draft from a number picked in a document: what is read (value, qualifier, sentence, citation and date)
// and what is suggested (the claimant the sentence names, the publisher as relay, the metric its clause names).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS } from '../../src/shared/domain';
import { findNumbers } from '../../src/shared/textNumbers';
import { draftFromNumber, metricNamed } from '../../src/renderer/reader/draftFromNumber';
import { PROJECT } from '../support/tempWorkbook';

const metrics = BUILT_IN_METRICS.map((m) => ({ id: m.code, label: m.label }));
const sources = [
  { id: 'idf', name: 'Israel Defense Forces', short_name: 'IDF' },
  { id: 'toi', name: 'The Times of Israel', short_name: 'ToI' },
  { id: 'moh', name: 'Gaza Ministry of Health', short_name: 'MoH' },
];
const citation = { id: 'c1', publisher: 'The Times of Israel', published: '2024-05-19' };

describe('draftFromNumber', () => {
  const text = readFileSync(`${PROJECT}demo/seed-article.txt`, 'utf8');
  const [civilians, combatants] = findNumbers(text);

  it("drafts the 20,000 civilians as the IDF's estimate relayed by the Times of Israel, as of the report's date", () => {
    const draft = draftFromNumber(text, civilians!, { sources, metrics, citation });
    expect(draft.values).toMatchObject({
      value: 20000,
      qualifier: 'exact',
      metric_id: 'killed_civilian',
      source_id: 'idf',
      relayed_via_id: 'toi',
      citation_id: 'c1',
      as_of: '2024-05-19',
      method: 'estimate',
    });
    expect(draft.values.excerpt).toMatch(/^“The two sides discussed .* compared to some 15,000 combatants\.$/);
    expect(draft.suggested).toEqual({ metric: true, source: true, relay: true });
  });

  it('reads "some" as approximately and names the combatants from the words after the number', () => {
    const draft = draftFromNumber(text, combatants!, { sources, metrics, citation });
    expect(draft.values).toMatchObject({ value: 15000, qualifier: 'approximately', metric_id: 'killed_combatant', source_id: 'idf' });
  });

  it('takes the words selected as the excerpt, and the publisher as claimant when the sentence names no source', () => {
    const own = 'Another 7 aid workers were killed this week.';
    const draft = draftFromNumber(own, findNumbers(own)[0]!, { sources, metrics, citation }, ' Another 7 aid workers ');
    expect(draft.values).toMatchObject({ excerpt: 'Another 7 aid workers', source_id: 'toi', relayed_via_id: null, metric_id: 'aid_workers_killed' });
    expect(draft.suggested).toEqual({ metric: true, source: true, relay: false });
  });

  it('matches a short name only as written, not inside another word', () => {
    const said = 'The MoHx report and the midf count: 300 killed.';
    const draft = draftFromNumber(said, findNumbers(said)[0]!, { sources, metrics, citation: { ...citation, publisher: null } });
    expect(draft.values.source_id).toBeNull();
    expect(draft.suggested.source).toBe(false);
  });
});

describe('metricNamed', () => {
  it('names no metric when the clause names none, or two equally', () => {
    expect(metricNamed('were seen at the crossing', metrics)).toBeNull();
    expect(metricNamed('civilians and combatants', metrics)).toBeNull();
    expect(metricNamed('aid trucks entered', metrics)?.id).toBe('aid_trucks');
  });
});
