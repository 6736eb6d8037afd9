// Forms for the workbook's other tables — source, citation, location, metric — in a dialog: create or edit, checked
// with the same schemas the store uses, each problem shown beside its field. Saves are recorded for undo.
import type { z } from 'zod';
import '../zodConfig'; // before the schemas are built: this module is loaded on its own, when a form first opens
import type { WorkbenchApi } from '../../shared/api';
import { LOCATION_KINDS, METRIC_CATEGORIES, metricWholes, SOURCE_KINDS } from '../../shared/domain';
import { DEFAULT_JUMP_FACTOR } from '../../shared/warnings';
import { WorkbenchError } from '../../shared/errors';
import { CitationFields, type CitationObject, LocationFields, MetricFields, SourceFields } from '../../shared/schemas';
import type { Catalog } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { openDialog } from '../ui/dialog';
import { h } from '../ui/dom';
import { words } from '../ui/format';
import { showStatus } from '../ui/status';

export type EntityKind = 'source' | 'citation' | 'location' | 'metric';

interface FieldSpec {
  key: string;
  label: string;
  kind?: 'text' | 'textarea' | 'select' | 'date';
  options?: () => Array<{ value: string; label: string }>;
  hint?: string;
  placeholder?: string;
  /** how a stored value is written in the field (default: as it is) */
  format?: (value: unknown) => string;
}

const enumOptions = (values: readonly string[]) => values.map((v) => ({ value: v, label: words(v) }));

/** A form's fields, each one of the schema's (the schema declares the entity's fields; the form only words them). */
type FormFields<S extends { shape: object }> = Array<FieldSpec & { key: Extract<keyof S['shape'], string> }>;

function specs(kind: EntityKind, catalog: Catalog): FieldSpec[] {
  switch (kind) {
    case 'source':
      return [
        { key: 'name', label: 'Name', hint: 'Who makes the claim, in full: "Israel Defense Forces", "Gaza Ministry of Health".' },
        { key: 'short_name', label: 'Short name', placeholder: 'IDF, MoH, OCHA…' },
        { key: 'kind', label: 'Kind', kind: 'select', options: () => enumOptions(SOURCE_KINDS) },
        {
          key: 'party_to_conflict',
          label: 'Party to the conflict',
          kind: 'select',
          options: () => [
            { value: '', label: 'not stated' },
            { value: '1', label: 'yes' },
            { value: '0', label: 'no' },
          ],
        },
        { key: 'note', label: 'Note', kind: 'textarea' },
      ] satisfies FormFields<typeof SourceFields>;
    case 'citation':
      return [
        { key: 'title', label: 'Title', hint: 'The headline or document title (a title or a URL is required).' },
        { key: 'publisher', label: 'Publisher', placeholder: 'The Times of Israel, OCHA…' },
        { key: 'url', label: 'URL', placeholder: 'https://…' },
        { key: 'published', label: 'Published', kind: 'date', placeholder: 'YYYY-MM-DD' },
        { key: 'accessed', label: 'Accessed', kind: 'date', placeholder: 'YYYY-MM-DD' },
        { key: 'language', label: 'Language', placeholder: 'en, ar, he…' },
        { key: 'note', label: 'Note', kind: 'textarea' },
      ] satisfies FormFields<typeof CitationObject>;
    case 'location':
      return [
        { key: 'name', label: 'Name' },
        { key: 'kind', label: 'Kind', kind: 'select', options: () => enumOptions(LOCATION_KINDS) },
        {
          key: 'parent_id',
          label: 'Part of',
          kind: 'select',
          options: () => [{ value: '', label: '—' }, ...catalog.locations.map((l) => ({ value: l.id, label: l.name }))],
        },
        { key: 'note', label: 'Note', kind: 'textarea' },
      ] satisfies FormFields<typeof LocationFields>;
    case 'metric':
      return [
        { key: 'code', label: 'Code', placeholder: 'killed_children', hint: 'Lower-case letters, digits and _: the word used in CSV files.' },
        { key: 'label', label: 'Label', placeholder: 'Children killed' },
        { key: 'unit', label: 'Unit', placeholder: 'people' },
        { key: 'category', label: 'Category', kind: 'select', options: () => enumOptions(METRIC_CATEGORIES) },
        { key: 'hxl', label: 'HXL hashtag', placeholder: '#affected+killed+children' },
        {
          key: 'kind',
          label: 'Counts',
          kind: 'select',
          options: () => [
            { value: '', label: 'not stated' },
            { value: 'cumulative', label: 'cumulative (a running total as of a date)' },
            { value: 'flow', label: 'a flow (counted over a day, a week)' },
          ],
          hint: 'The checks hold a running total that falls, or jumps far above its recent rises.',
        },
        {
          key: 'part_of',
          label: 'Part of',
          placeholder: 'killed_civilian, killed_total',
          hint: 'The codes of the metrics this one is part of: the checks warn when parts exceed their whole.',
          format: (value) => metricWholes({ part_of: (value as string | null) ?? null }).join(', '),
        },
        {
          key: 'jump_factor',
          label: 'Jump threshold',
          placeholder: String(DEFAULT_JUMP_FACTOR),
          hint: `A rise this many times the recent daily rises is a retroactive jump (empty: ${DEFAULT_JUMP_FACTOR}).`,
        },
        { key: 'note', label: 'Note', kind: 'textarea' },
      ] satisfies FormFields<typeof MetricFields>;
  }
}

const SCHEMAS: Record<EntityKind, z.ZodType> = { source: SourceFields, citation: CitationFields, location: LocationFields, metric: MetricFields };
const FIRST_FIELD: Record<EntityKind, string> = { source: 'name', citation: 'title', location: 'name', metric: 'code' };

export interface FormContext {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
}

type Existing = { id: string } & Record<string, unknown>;

/** Opens the form; resolves with the saved entity's id, or null when cancelled. */
export function editEntity(ctx: FormContext, kind: EntityKind, existing: Existing | null, prefill: Record<string, string> = {}): Promise<string | null> {
  return new Promise((resolve) => {
    const dialog = openDialog({ title: existing ? `Edit ${kind}` : `New ${kind}`, name: `${kind}-form` });
    const controls = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
    const errors = new Map<string, HTMLElement>();
    const form = h('form', { class: 'entity-form', novalidate: true });
    for (const spec of specs(kind, ctx.catalog)) {
      let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
      if (spec.kind === 'select') {
        control = h('select', { name: spec.key });
        for (const o of spec.options!()) control.append(h('option', { value: o.value }, o.label));
      } else if (spec.kind === 'textarea') {
        control = h('textarea', { name: spec.key, rows: 3 });
      } else {
        control = h('input', { type: 'text', name: spec.key, placeholder: spec.placeholder ?? null, autocomplete: 'off' });
      }
      const initial = existing?.[spec.key] ?? prefill[spec.key] ?? '';
      control.value = initial === null ? '' : spec.format ? spec.format(initial) : String(initial);
      // A new entry's kind or category starts at "other", as the schema's default does.
      if (control instanceof HTMLSelectElement && control.selectedIndex < 0) {
        control.value = [...control.options].some((o) => o.value === 'other') ? 'other' : (control.options[0]?.value ?? '');
      }
      const error = h('small', { class: 'field-error', role: 'alert' });
      controls.set(spec.key, control);
      errors.set(spec.key, error);
      form.append(
        h(
          'label',
          { class: 'field' },
          h('span', { class: 'field-label' }, spec.label),
          control,
          spec.hint ? h('small', { class: 'field-hint' }, spec.hint) : null,
          error,
        ),
      );
    }
    const general = h('p', { class: 'form-error', role: 'alert' });
    form.append(general);
    dialog.body.append(form);
    const save = h('button', { class: 'primary', type: 'button' }, existing ? 'Save' : `Add ${kind}`);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    dialog.footer.append(cancel, save);
    let result: string | null = null;

    const values = (): Record<string, unknown> => {
      const input: Record<string, unknown> = {};
      for (const [key, control] of controls) {
        const text = control.value.trim();
        // An empty text field is '' (the schema says "required", or stores null for an optional one); an empty
        // choice is null.
        if (key === 'party_to_conflict') input[key] = text === '' ? null : Number(text);
        else if (control instanceof HTMLSelectElement) input[key] = text === '' ? null : text;
        else input[key] = text;
      }
      return input;
    };

    const submit = async () => {
      for (const e of errors.values()) e.textContent = '';
      general.textContent = '';
      const input = values();
      const parsed = SCHEMAS[kind].safeParse(input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const target = errors.get(String(issue.path[0] ?? '')) ?? general;
          target.textContent ||= issue.message;
        }
        return;
      }
      save.disabled = true;
      try {
        const { id, txn, label } = await write(ctx.api, kind, existing, input);
        if (txn) ctx.undo.record(txn, label);
        await ctx.catalog.load();
        showStatus(`Saved ${label}.`, 'success');
        result = id;
        dialog.close();
      } catch (error) {
        const e = WorkbenchError.from(error);
        const problems = e.problems ?? [{ field: e.place?.field, reason: e.message }];
        for (const p of problems) (errors.get(p.field ?? '') ?? general).textContent = p.reason;
        save.disabled = false;
      }
    };
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !(event.target instanceof HTMLTextAreaElement)) {
        event.preventDefault();
        void submit();
      }
    });
    save.addEventListener('click', (event) => {
      event.preventDefault();
      void submit();
    });
    cancel.addEventListener('click', () => dialog.close());
    void dialog.closed.then(() => resolve(result));
    controls.get(FIRST_FIELD[kind])?.focus();
  });
}

async function write(
  api: WorkbenchApi,
  kind: EntityKind,
  existing: Existing | null,
  input: Record<string, unknown>,
): Promise<{ id: string; txn: string; label: string }> {
  const name = String(input.name ?? input.title ?? input.url ?? input.code ?? '');
  if (!existing) {
    const create = { source: api.createSource, citation: api.createCitation, location: api.createLocation, metric: api.createMetric }[kind] as (
      i: unknown,
    ) => Promise<{ value: { id: string }; txn: string }>;
    const result = await create(input);
    return { id: result.value.id, txn: result.txn, label: `new ${kind} “${name}”` };
  }
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (String(existing[key] ?? '') !== String(value ?? '')) patch[key] = value;
  if (Object.keys(patch).length === 0) return { id: existing.id, txn: '', label: `${kind} “${name}” (unchanged)` };
  const update = { source: api.updateSource, citation: api.updateCitation, location: api.updateLocation, metric: api.updateMetric }[kind] as (
    i: unknown,
  ) => Promise<{ value: { id: string }; txn: string }>;
  const result = await update({ id: existing.id, patch });
  return { id: result.value.id, txn: result.txn, label: `edit of ${kind} “${name}”` };
}
