// Which figures on screen the checks warn about: asked for the rows in view (after a load, a scroll, any write),
// so a mark costs one small call whatever the size of the workbook.
import type { WorkbenchApi } from '../../shared/api';
import type { WarningKind } from '../../shared/warnings';

export class WarningMarks {
  private readonly kinds = new Map<string, WarningKind[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;

  constructor(
    private readonly api: WorkbenchApi,
    private readonly rows: { visibleFigureIds(): string[]; refreshMarks(ids: string[]): void },
  ) {}

  has(id: string): boolean {
    return this.kinds.has(id);
  }

  /** Asks again soon: several triggers in a row (a scroll) make one call. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 80);
  }

  async refresh(): Promise<void> {
    const sequence = ++this.sequence;
    const ids = this.rows.visibleFigureIds();
    if (ids.length === 0) return;
    let found: Array<{ figure_id: string; kinds: WarningKind[] }>;
    try {
      found = await this.api.figureWarnings({ figure_ids: ids });
    } catch {
      return; // a mark is a hint: the Checks view and the provenance panel say the same, and report a failure
    }
    if (sequence !== this.sequence) return;
    const now = new Map(found.map((f) => [f.figure_id, f.kinds]));
    const changed = ids.filter((id) => this.kinds.has(id) !== now.has(id));
    for (const id of ids) {
      const kinds = now.get(id);
      if (kinds) this.kinds.set(id, kinds);
      else this.kinds.delete(id);
    }
    this.rows.refreshMarks(changed);
  }
}
