// The check excerpt_not_in_document on a real workbook through the API: a figure's excerpt that its citation's
// stored text does not hold is warned of (quote marks and whitespace normalised), kept in step when the document is
// attached, replaced or its attach undone, and never for a citation that holds no document.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshWarnings } from '../../src/core/checks/refresh';
import type { FigureInput } from '../../src/shared/schemas';
import { dumpTables, seedBasics, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;
beforeEach(async () => {
  t = await tempWorkbook();
  basics = await seedBasics(t.api);
});
afterEach(() => t.cleanup());

const TEXT = '“The two sides met,” the readout says, with IDF estimates putting the number of civilians killed at 20,000,\ncompared to some 15,000 combatants.';

async function figure(excerpt: string, patch: Partial<FigureInput> = {}): Promise<string> {
  const input = {
    metric_id: basics.metric('killed_civilian'),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    value: 20000,
    as_of: '2024-05-19',
    excerpt,
    ...patch,
  } as FigureInput;
  return (await t.api.createFigure(input)).value.id;
}

const warned = async () => (await t.api.listWarnings({ kind: 'excerpt_not_in_document', limit: 1000 })).warnings;
const warnedIds = async () => (await warned()).map((w) => w.figure_ids[0]).sort();

/** The stored warnings are those a search of the whole workbook finds. */
function expectSameAsFoundAfresh(): void {
  const kept = dumpTables(t.db);
  t.db.transaction(() => refreshWarnings(t.db, 'all'))();
  expect(dumpTables(t.db).warning).toEqual(kept.warning);
}

describe('excerpt_not_in_document', () => {
  it('warns of an excerpt the document does not hold, not of one typed with straight quotes and a space for a line break', async () => {
    await t.api.attachDocument({ citation_id: basics.citation.id, text: TEXT });
    const typed = await figure('"The two sides met," the readout says, with IDF estimates putting the number of civilians killed at 20,000, compared to');
    const changed = await figure('putting the number of civilians killed at 21,000', { value: 21000 });
    expect(await warnedIds()).toEqual([changed]);
    expect((await warned())[0]!.message).toBe("Source Alpha's civilians killed: the excerpt is not in the text of its citation's document");
    expect(typed).toBeDefined();
    expectSameAsFoundAfresh();
  });

  it('checks the figures already there when a document is attached, again when its text is replaced, through undo and redo', async () => {
    const a = await figure('Some 15,000 combatants', { metric_id: basics.metric('killed_combatant'), value: 15000 });
    const b = await figure('civilians killed at 20,000');
    expect(await warnedIds()).toEqual([]); // no document: nothing to hold the excerpts against
    const attached = await t.api.attachDocument({ citation_id: basics.citation.id, text: 'Some 15,000 combatants were killed.' });
    expect(await warnedIds()).toEqual([b]);
    expect(a).not.toBe(b);
    await t.api.attachDocument({ citation_id: basics.citation.id, text: `Some 15,000 combatants. ${TEXT}` });
    expect(await warnedIds()).toEqual([]);
    // undoing the first attach removes the document (a logged delete of its latest text, which redo brings back)
    const undo = await t.api.undo({ txn: attached.txn });
    expect(await t.api.getDocument({ citation_id: basics.citation.id })).toBeNull();
    expect(await warnedIds()).toEqual([]);
    await t.api.undo({ txn: undo.txn });
    expect((await t.api.getDocument({ citation_id: basics.citation.id }))?.text).toMatch(/^Some 15,000 combatants\. /);
    expect(await warnedIds()).toEqual([]);
    expectSameAsFoundAfresh();
  });

  it('stops warning when the document goes with the undo of its attach', async () => {
    const attached = await t.api.attachDocument({ citation_id: basics.citation.id, text: 'Nothing of the excerpt here.' });
    const a = await figure('civilians killed at 20,000');
    expect(await warnedIds()).toEqual([a]);
    await t.api.undo({ txn: attached.txn });
    expect(await warnedIds()).toEqual([]);
    expectSameAsFoundAfresh();
  });
});
