// Told when others pushed: while the workbook is open, the core listens to the team server (watchSyncServer, LISTEN/
// NOTIFY) and answers once transactions from others wait there; a bar above the views says who pushed and offers to
// sync. It starts when the window opens on a workbook synced before (a password from PGPASSWORD or ~/.pgpass) and
// again after each sync from File ▸ Sync… (with the password typed there, kept by the core for this watch only).
import type { ServerPushes, WorkbenchApi } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import { h } from '../ui/dom';
import { errorMessage } from '../ui/status';
import { plural } from './report';

export class ServerWatch {
  /** the bar above the views, hidden until others pushed */
  readonly element: HTMLElement;
  private readonly text = h('span', { class: 'server-news-text' });
  private controller: AbortController | null = null;

  constructor(
    private readonly api: WorkbenchApi,
    /** the sync button: its title says whether the app is listening, and it is marked while pushes wait */
    private readonly button: HTMLElement,
    openSync: () => void,
  ) {
    const sync = h('button', { type: 'button', class: 'primary' }, 'Sync now');
    const later = h('button', { type: 'button' }, 'Later');
    sync.addEventListener('click', () => {
      this.element.hidden = true;
      openSync();
    });
    later.addEventListener('click', () => (this.element.hidden = true));
    this.element = h('div', { class: 'server-news', role: 'status', hidden: true, 'data-testid': 'server-news' }, this.text, sync, later);
  }

  /** Listens from now on, if this workbook has synced with a server before; quiet when it has not. */
  async startIfSynced(): Promise<void> {
    const servers = await this.api.listSyncServers({}).catch(() => []);
    if (servers.length > 0) this.start();
  }

  /** Listens afresh (a watch before this one stops): after a sync, to its server with the password it was given. */
  start(to: { server?: string; password?: string } = {}): void {
    this.stop();
    const controller = new AbortController();
    this.controller = controller;
    this.button.classList.remove('has-news');
    this.element.hidden = true;
    void this.api
      .watchSyncServer(
        { ...(to.server ? { server: to.server } : {}), ...(to.password ? { password: to.password } : {}) },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase === 'listening' && this.controller === controller) this.button.title = "Sync with the team's PostgreSQL server (listening for pushes)";
          },
        },
      )
      .then(
        (pushes) => {
          if (this.controller === controller) this.tell(pushes);
        },
        (error: unknown) => {
          if (this.controller !== controller || WorkbenchError.from(error).code === 'cancelled') return;
          // not an error of anything the analyst did: the sync button says it, File ▸ Sync… still works
          this.button.title = `Sync with the team's PostgreSQL server (not listening for pushes: ${errorMessage(error)})`;
        },
      );
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
  }

  private tell(pushes: ServerPushes): void {
    const by = Object.entries(pushes.by).sort(([a], [b]) => a.localeCompare(b));
    const who = by.map(([analyst, n]) => `${analyst} (${n})`).join(', ');
    const count = `${pushes.more ? 'at least ' : ''}${plural(pushes.transactions, 'transaction')}`;
    this.text.textContent = `${who} pushed to ${pushes.server}: ${count} not in this workbook yet.`;
    this.button.classList.add('has-news');
    this.button.title = `Sync with the team's PostgreSQL server: ${count} waiting`;
    this.element.hidden = false;
  }
}
