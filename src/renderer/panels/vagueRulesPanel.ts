// The workbook's rule table of vague quantities, visible and editable: how "dozens" or "several hundred" in a Value
// cell (typed, pasted or imported) reads as a number and a qualifier. Each edit is one logged transaction, undone
// with Ctrl+Z; figures already read keep their number and words.
import type { WorkbenchApi } from '../../shared/api';
import { QUALIFIERS, type Qualifier, type VagueRule } from '../../shared/domain';
import type { Catalog } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { h } from '../ui/dom';
import { formatNumber, QUALIFIER_LABELS } from '../ui/format';
import { showError, showStatus } from '../ui/status';

export interface VagueRulesDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
}

export class VagueRulesPanel {
  readonly element: HTMLDetailsElement;
  private readonly summary = h('summary', {});
  private readonly body = h('tbody', {});

  constructor(private readonly deps: VagueRulesDeps) {
    this.element = h(
      'details',
      { class: 'vague-rules', 'data-panel': 'vague-rules' },
      this.summary,
      h(
        'p',
        { class: 'muted small' },
        'A Value cell holding these words reads as the number and qualifier beside them, and keeps the words with the figure. ',
        'The defaults are ACLED’s conservative floors. A change applies to cells read from now on.',
      ),
      h(
        'table',
        { class: 'data-table vague-table', 'data-table': 'vague-rules' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Words'), h('th', { class: 'num' }, 'Reads as'), h('th', {}, 'Qualifier'), h('th', {}, ''))),
        this.body,
      ),
    );
    this.render();
  }

  render(): void {
    const rules = this.deps.catalog.rules;
    this.summary.textContent = `Vague quantities — how words such as “dozens” read (${rules.length} rule${rules.length === 1 ? '' : 's'})`;
    this.body.replaceChildren(...rules.map((rule) => this.row(rule)), this.row(null));
  }

  /** One rule's row, its cells editable in place; `null`: the row that adds a rule. */
  private row(rule: VagueRule | null): HTMLTableRowElement {
    const word = h('input', { type: 'text', 'aria-label': 'Words', name: 'word', value: rule?.word ?? '', placeholder: 'e.g. a handful' });
    const value = h('input', {
      type: 'text',
      class: 'num',
      'aria-label': 'Reads as',
      name: 'value',
      value: rule ? String(rule.value) : '',
      inputmode: 'numeric',
    });
    const qualifier = h('select', { 'aria-label': 'Qualifier', name: 'qualifier' }, ...QUALIFIERS.map((q) => h('option', { value: q }, QUALIFIER_LABELS[q])));
    qualifier.value = rule?.qualifier ?? 'at_least';
    const save = h('button', { type: 'button', class: rule ? 'small' : 'small primary' }, rule ? 'Save' : 'Add rule');
    save.addEventListener('click', () => void this.save(rule, word.value, value.value, qualifier.value as Qualifier));
    const remove = rule ? h('button', { type: 'button', class: 'small', title: `Delete the rule for “${rule.word}”` }, 'Delete') : null;
    remove?.addEventListener('click', () => void this.remove(rule!));
    return h(
      'tr',
      { 'data-word': rule?.word ?? '' },
      h('td', {}, word),
      h('td', { class: 'num' }, value),
      h('td', {}, qualifier),
      h('td', { class: 'row-actions' }, save, remove),
    );
  }

  private async save(rule: VagueRule | null, word: string, valueText: string, qualifier: Qualifier): Promise<void> {
    const value = Number(valueText.replace(/[,\s]/g, ''));
    if (valueText.trim() === '' || !Number.isFinite(value)) return showError(new Error(`“${valueText}” is not a number`), 'Rule not saved');
    try {
      const input = { word, value, qualifier };
      const result = rule ? await this.deps.api.updateVagueRule({ id: rule.id, patch: input }) : await this.deps.api.createVagueRule(input);
      const label = `rule “${result.value.word}” = ${QUALIFIER_LABELS[qualifier]} ${formatNumber(value)}`;
      this.deps.undo.record(result.txn, label);
      await this.deps.catalog.load();
      showStatus(`Saved the ${label}. Ctrl+Z undoes it.`, 'success');
    } catch (error) {
      showError(error, 'Rule not saved');
    }
  }

  private async remove(rule: VagueRule): Promise<void> {
    try {
      const result = await this.deps.api.deleteVagueRule({ id: rule.id });
      this.deps.undo.record(result.txn, `deletion of the rule “${rule.word}”`);
      await this.deps.catalog.load();
      showStatus(`Deleted the rule for “${rule.word}”: figures read by it keep their numbers and words. Ctrl+Z undoes it.`, 'success');
    } catch (error) {
      showError(error, 'Rule not deleted');
    }
  }
}
