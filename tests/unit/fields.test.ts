// The field registry against the SQL schema of a real workbook: every figure column is declared once in the
// registry, with the same type, NOT NULL, CHECK list and foreign key; every entity's input schema covers its table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CSV_COLUMNS, CSV_SPEC, FIGURE_FIELDS, type FigureFieldSpec, GRID_COLUMNS, HXL_TAGS, INPUT_FIELDS } from '../../src/shared/fields';
import { CitationObject, FigureFields, LocationFields, MetricFields, SourceFields } from '../../src/shared/schemas';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

interface SqlColumn {
  name: string;
  type: string;
  notnull: number;
  pk: number;
  /** 0 a plain column, 2 or 3 a generated one */
  hidden: number;
}

const STAMPS = ['created_at', 'created_by', 'updated_at', 'updated_by'];
const SQL_TYPE: Record<FigureFieldSpec['kind'], string> = {
  id: 'TEXT',
  ref: 'TEXT',
  count: 'REAL',
  enum: 'TEXT',
  date: 'TEXT',
  text: 'TEXT',
  batch: 'TEXT',
  row: 'INTEGER',
};

let t: TempWorkbook;
beforeAll(async () => {
  t = await tempWorkbook();
});
afterAll(() => t.cleanup());

const columns = (table: string) => t.db.prepare('SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?)').all(table) as SqlColumn[];
const tableSql = (table: string) => t.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as string;

/** The values a column's CHECK (column IN (...)) allows, as the CREATE TABLE statement writes them. */
function checkList(table: string, column: string): string[] | null {
  const match = new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(tableSql(table));
  return match ? match[1]!.split(',').map((v) => v.trim().replace(/^'|'$/g, '')) : null;
}

describe('the field registry against the figure table', () => {
  it('declares every stored column of figure once, and nothing the table lacks', () => {
    const stored = columns('figure')
      .filter((c) => c.hidden === 0 && !STAMPS.includes(c.name))
      .map((c) => c.name);
    expect(FIGURE_FIELDS.map((f) => f.name).sort()).toEqual([...stored].sort());
    expect(new Set(FIGURE_FIELDS.map((f) => f.name)).size).toBe(FIGURE_FIELDS.length);
  });

  it('gives each field the SQL type of its kind, and NOT NULL exactly where it is required', () => {
    for (const column of columns('figure').filter((c) => c.hidden === 0 && !STAMPS.includes(c.name))) {
      const spec = FIGURE_FIELDS.find((f) => f.name === column.name)!;
      expect(column.type, column.name).toBe(SQL_TYPE[spec.kind]);
      // a TEXT PRIMARY KEY is reported nullable by SQLite; the id is required all the same
      expect(column.notnull === 1 || column.pk === 1, column.name).toBe(spec.required);
    }
  });

  it('lists the values of each CHECK (… IN …) for its choice fields, in the same order', () => {
    for (const spec of FIGURE_FIELDS as readonly FigureFieldSpec[]) {
      const check = checkList('figure', spec.name);
      if (spec.kind === 'enum') expect(check, spec.name).toEqual([...spec.values]);
      else expect(check, spec.name).toBeNull();
    }
  });

  it('points each reference at the table its foreign key names', () => {
    const keys = t.db.prepare('SELECT "from", "table" FROM pragma_foreign_key_list(?)').all('figure') as Array<{ from: string; table: string }>;
    const refs = (FIGURE_FIELDS as readonly FigureFieldSpec[]).filter((f) => f.kind === 'ref').map((f) => [f.name, f.kind === 'ref' ? f.entity : '']);
    expect(refs.sort()).toEqual(
      keys
        .filter((k) => k.table !== 'import_batch')
        .map((k) => [k.from, k.table])
        .sort(),
    );
  });

  it('names only columns the referenced tables have', () => {
    for (const column of CSV_COLUMNS) {
      const spec = CSV_SPEC[column];
      if (spec.type !== 'name') continue;
      const ref = FIGURE_FIELDS.find((f) => f.name === spec.ref) as FigureFieldSpec;
      expect(ref.kind, column).toBe('ref');
      const table = ref.kind === 'ref' ? ref.entity : '';
      expect(
        columns(table).map((c) => c.name),
        column,
      ).toContain(spec.column);
    }
  });

  it('derives the input schema from the fields an analyst enters, and every CSV column has its HXL tag', () => {
    const parsed = FigureFields.safeParse({ metric_id: 'm', source_id: 's', citation_id: 'c', value: 1, as_of: '2024' });
    expect(parsed.success && Object.keys(parsed.data).sort()).toEqual([...INPUT_FIELDS].sort());
    const stored = FigureFields.safeParse({ metric_id: 'm', source_id: 's', citation_id: 'c', value: 1, as_of: '2024', import_row: 3 });
    expect(stored.success).toBe(false);
    for (const column of CSV_COLUMNS) expect(HXL_TAGS[column], column).toMatch(/^#[a-z]+(\+[a-z_]+)*$/);
    expect(new Set(Object.values(HXL_TAGS)).size).toBe(CSV_COLUMNS.length);
  });

  it('puts every grid column on a field an analyst enters, each field in one column at most', () => {
    const edited = GRID_COLUMNS.flatMap((c) => c.fields);
    expect(new Set(edited).size).toBe(edited.length);
    for (const field of edited) expect(INPUT_FIELDS, field).toContain(field);
  });
});

/** The values of the enum inside a field's schema, through its optional, nullable, default, union and pipe wrappers. */
function enumOptions(schema: z.ZodType): string[] | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (def.type === 'enum') return (schema as unknown as { options: string[] }).options;
  const inner = [def.innerType, def.in, def.out, ...((def.options as unknown[] | undefined) ?? [])].filter(Boolean) as z.ZodType[];
  for (const schema of inner) {
    const options = enumOptions(schema);
    if (options) return options;
  }
  return undefined;
}

describe("each entity's input schema against its table", () => {
  const entities = [
    ['source', SourceFields],
    ['citation', CitationObject],
    ['metric', MetricFields],
    ['location', LocationFields],
  ] as const;

  it.each(entities)('%s: the schema takes every column but the id and the stamps, and no other', (table, schema) => {
    const stored = columns(table)
      .filter((c) => c.name !== 'id' && !STAMPS.includes(c.name))
      .map((c) => c.name);
    expect(Object.keys(schema.shape).sort()).toEqual(stored.sort());
  });

  it.each(entities)('%s: each CHECK (… IN …) list is the schema enum', (table, schema) => {
    for (const [name, field] of Object.entries(schema.shape)) {
      const check = checkList(table, name);
      if (check === null || name === 'party_to_conflict') continue;
      expect(enumOptions(field as z.ZodType), `${table}.${name}`).toEqual(check);
    }
  });
});
