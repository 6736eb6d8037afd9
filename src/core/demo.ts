// The demo workbook: the seed article's claims as cited figures (IDF estimates relayed by the Times of Israel, the
// aid workers killed, the crossings it names), and a second claimant for the same period — the Gaza Ministry of
// Health's daily series — so that the first compare a new user sees has something to compare; and the other half of
// the mission, aid: real claims of trucks through the crossings in late May 2024 (demo/aid-claims.csv), imported as
// a user would import them, competing claimants and relays included.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkbenchApi } from '../shared/api';
import { METRIC_SHAPES } from '../shared/domain';
import { Mapping } from '../shared/mapping';
import { findUp } from './paths';

export const DEMO_AS_OF = '2024-05-19';

/** The project's demo folder (copies of the reference article and the daily series) and mappings folder. */
export function demoPaths(start = dirname(fileURLToPath(import.meta.url))) {
  const root = findUp(start, 'mappings/gaza-daily-casualties.json');
  return {
    article: join(root, 'demo', 'seed-article.txt'),
    dailyCsv: join(root, 'demo', 'gaza-daily-casualties.csv'),
    dailyMapping: join(root, 'mappings', 'gaza-daily-casualties.json'),
    aidCsv: join(root, 'demo', 'aid-claims.csv'),
  };
}

/** The sentence of the article that contains `words`, exactly as printed. */
function quote(article: string, words: string): string {
  const sentence = article.split(/(?<=[.!?][”"]?)\s+/).find((s) => s.includes(words));
  if (!sentence) throw new Error(`demo: the article no longer contains "${words}"`);
  return sentence.trim();
}

export async function createDemo(api: WorkbenchApi): Promise<void> {
  const paths = demoPaths();
  const article = readFileSync(paths.article, 'utf8');

  const idf = (await api.createSource({ name: 'Israel Defense Forces', short_name: 'IDF', kind: 'military', party_to_conflict: 1 })).value;
  const toi = (await api.createSource({ name: 'The Times of Israel', short_name: 'ToI', kind: 'media', party_to_conflict: 0 })).value;
  await api.createSource({
    name: 'Gaza Ministry of Health',
    short_name: 'MoH',
    kind: 'health_authority',
    party_to_conflict: 1,
    note: 'The health ministry of the Hamas-run government in Gaza; figures from its Telegram channel.',
  });
  await api.createSource({ name: 'Gaza Government Media Office', short_name: 'GMO', kind: 'government', party_to_conflict: 1 });
  await api.createSource({
    name: 'Tech for Palestine',
    kind: 'other',
    party_to_conflict: 0,
    note: 'Volunteer project that compiles the daily reports into the casualties_daily data set.',
  });

  const gaza = (await api.createLocation({ name: 'Gaza Strip', kind: 'territory' })).value;
  await api.createLocation({ name: 'Rafah', kind: 'city', parent_id: gaza.id });
  await api.createLocation({ name: 'Kerem Shalom crossing', kind: 'crossing', note: 'Named in the seed article as the main entry point for aid.' });
  await api.createLocation({ name: 'Rafah crossing', kind: 'crossing', note: 'Shut after Israeli forces took over the area (seed article).' });
  // Named as aid-claims.csv names it, so that its import finds this location and does not make a second one.
  await api.createLocation({
    name: 'Maritime corridor (US floating pier)',
    kind: 'corridor',
    note: 'The multinational humanitarian maritime corridor (seed article); its aid lands at the floating pier the US built.',
  });

  const citation = (
    await api.createCitation({
      title: "Times of Israel report on Sullivan's meeting with Israeli security officials (Rafah, aid, civilian harm)",
      publisher: 'The Times of Israel',
      published: DEMO_AS_OF,
      language: 'en',
      local_path: 'demo/seed-article.txt',
      note:
        "The text of the report is the project's reference article (demo/seed-article.txt). Its headline, URL and date are " +
        "not in that text: the title here describes it, and the date is that of Sullivan's meeting with Israeli officials.",
    })
  ).value;

  const metricId = async (code: string) => (await api.listMetrics({})).find((m) => m.code === code)!.id;
  const casualtySentence = quote(article, 'IDF estimates putting the number of civilians');
  const common = {
    source_id: idf.id,
    relayed_via_id: toi.id,
    citation_id: citation.id,
    location_id: gaza.id,
    as_of: DEMO_AS_OF,
    excerpt: casualtySentence,
    method: 'estimate' as const,
    status: 'checked' as const,
  };
  await api.createFigures({
    why: 'demo: the seed article',
    figures: [
      {
        ...common,
        metric_id: await metricId('killed_civilian'),
        value: 20000,
        qualifier: 'approximately',
        note: 'The text gives "20,000" with no qualifier; recorded as approximately because it is a rounded IDF estimate. As-of date implicit: the date of the report.',
      },
      {
        ...common,
        metric_id: await metricId('killed_combatant'),
        value: 15000,
        qualifier: 'approximately',
        note: '"some 15,000 combatants". As-of date implicit: the date of the report.',
      },
      {
        metric_id: await metricId('aid_workers_killed'),
        source_id: toi.id,
        citation_id: citation.id,
        location_id: gaza.id,
        value: 2,
        qualifier: 'exact',
        as_of: DEMO_AS_OF,
        excerpt: quote(article, 'another pair of humanitarian staff were killed'),
        method: 'reported_count',
        status: 'checked',
        note: 'An incident count ("another pair", days before the report), not a cumulative total.',
      },
    ],
  });

  const mapping = Mapping.parse(JSON.parse(readFileSync(paths.dailyMapping, 'utf8')));
  const report = await api.importCsv({ file: { path: paths.dailyCsv }, mapping });
  if (!report.written) throw new Error(`demo: the daily series did not import (${report.problems[0]?.reason ?? 'unknown'})`);

  await shapeSeriesMetrics(api);

  await aidClaimants(api);
  const aid = await api.importCsv({ file: { path: paths.aidCsv } });
  if (!aid.written) throw new Error(`demo: the aid claims did not import (${aid.problems[0]?.reason ?? 'unknown'})`);
}

/**
 * The daily series' own metrics (children, women, medical staff … killed) say what they are, as the built-in ones
 * do: running totals, children and women part of the civilians and of the total. So the checks read them.
 */
async function shapeSeriesMetrics(api: WorkbenchApi): Promise<void> {
  for (const metric of await api.listMetrics({})) {
    const shape = METRIC_SHAPES[metric.code];
    if (!shape || metric.kind !== null) continue;
    await api.updateMetric({ id: metric.id, patch: { kind: shape.kind, part_of: shape.part_of }, why: 'demo: what the series measures' });
  }
}

/**
 * The claimants and relays of aid-claims.csv, made before its import so that each has its kind (an import makes an
 * unknown name a source of kind "other"). The unnamed sources are left to the import: nothing is known of them.
 */
async function aidClaimants(api: WorkbenchApi): Promise<void> {
  await api.createSource({
    name: 'COGAT',
    kind: 'military',
    party_to_conflict: 1,
    note: "Coordinator of Government Activities in the Territories, a unit of Israel's Ministry of Defense; its weekly summaries go out through the IDF Spokesperson's Unit.",
  });
  await api.createSource({
    name: 'Egyptian Red Crescent Society',
    short_name: 'ERCS',
    kind: 'ngo',
    party_to_conflict: 0,
    note: 'Coordinates the aid convoys from Egypt; here its head in North Sinai, speaking to Reuters.',
  });
  await api.createSource({ name: 'Al Qahera News', kind: 'media', party_to_conflict: 0, note: 'Egyptian news channel ("Cairo News").' });
  await api.createSource({ name: 'Israel National News', kind: 'media', party_to_conflict: 0 });
  await api.createSource({ name: 'i24NEWS', kind: 'media', party_to_conflict: 0 });
  await api.createSource({ name: 'Reuters', kind: 'media', party_to_conflict: 0 });
}
