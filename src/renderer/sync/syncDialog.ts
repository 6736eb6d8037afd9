// File ▸ Sync…: the team's PostgreSQL server this workbook syncs with (its URL, never a password), the last sync,
// and a sync run now (syncWorkbook): what came in, by analyst; what went out; the conflicts. A password typed here
// goes with this one sync and is then forgotten; left empty, the core looks in PGPASSWORD and ~/.pgpass.
import type { SyncReport, SyncState } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import { openDialog, progressBar } from '../ui/dialog';
import { field, h } from '../ui/dom';
import { formatTime } from '../ui/format';
import { errorMessage, showStatus } from '../ui/status';
import { conflictsLine, plural, type ReportContext } from './report';

/** `synced`: told after each sync that went through, with the password typed for it (the app then listens for pushes) */
export function openSyncDialog(context: ReportContext, synced?: (server: string, password: string | undefined) => void): void {
  let running: AbortController | null = null;
  const dialog = openDialog({ title: 'Sync with the team server', name: 'sync', size: 'wide', onCancel: () => !running });
  const ctx: ReportContext = {
    ...context,
    openConflicts: () => {
      dialog.close();
      context.openConflicts();
    },
  };
  const server = h('input', { type: 'text', name: 'server', spellcheck: 'false', placeholder: 'postgresql://you@host:5432/team', 'aria-label': 'Server' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'off', 'aria-label': 'Password' });
  const last = h('p', { class: 'sync-last muted' }, 'Reading…');
  const progress = progressBar();
  progress.element.hidden = true;
  const report = h('div', { class: 'sync-report', role: 'status' });
  dialog.body.append(
    h(
      'p',
      { class: 'muted' },
      "Pulls the others' transactions since the last sync and applies them here, then pushes this workbook's. The same thing changed here and there is a conflict: both versions are kept.",
    ),
    field('Server', server, 'postgresql://user@host:port/database — shown and kept without a password'),
    field('Password', password, 'For this sync only, never stored. Empty: PGPASSWORD or ~/.pgpass.'),
    last,
    progress.element,
    report,
  );
  const close = h('button', { type: 'button' }, 'Close');
  const go = h('button', { type: 'button', class: 'primary' }, 'Sync now');
  dialog.footer.append(close, go);
  // Close while a sync runs stops it between steps: what was pulled is kept, a push not committed is not on the server
  close.addEventListener('click', () => (running ? running.abort() : dialog.close()));

  void ctx.api.listSyncServers({}).then(
    (servers) => {
      const latest: SyncState | undefined = servers[0];
      if (!latest) return void (last.textContent = 'Not synced yet: give the team server’s URL.');
      // the last report names the user the sync logged in as; the server's record does not
      if (!server.value) server.value = latest.last_report?.server ?? latest.url;
      last.textContent = latest.last_sync_at
        ? `Last synced ${formatTime(latest.last_sync_at)}${latest.last_report ? `: ${summary(latest.last_report)}` : ''}.`
        : 'Not synced to the end yet.';
      if (servers.length > 1) last.textContent += ` (${servers.length} servers; the latest shown)`;
    },
    (error) => (last.textContent = `Could not read the last sync: ${errorMessage(error)}`),
  );

  const run = async () => {
    if (running) return;
    const controller = new AbortController();
    running = controller;
    go.disabled = true;
    close.textContent = 'Stop';
    progress.element.hidden = false;
    progress.update(0, null, 'Connecting…');
    report.replaceChildren();
    try {
      const typed = password.value;
      password.value = ''; // forgotten at once: it goes with this sync only
      const result = await ctx.api.syncWorkbook(
        { ...(server.value.trim() ? { server: server.value.trim() } : {}), ...(typed ? { password: typed } : {}) },
        {
          signal: controller.signal,
          onProgress: (p) =>
            progress.update(
              p.done,
              null,
              `${p.phase === 'pulling' ? 'Pulling' : p.phase === 'pushing' ? 'Pushing' : 'Pushed'}: ${plural(p.done, 'transaction')}`,
            ),
        },
      );
      server.value = result.server;
      last.textContent = `Last synced ${formatTime(result.synced_at)}.`;
      report.replaceChildren(...syncReport(ctx, result));
      showStatus(`Synced with ${result.server}: ${summary(result)}.`, 'success');
      synced?.(result.server, typed || undefined);
      await ctx.changed();
    } catch (error) {
      report.replaceChildren(h('p', { class: 'form-error' }, `Not synced: ${errorMessage(error)}`));
      // what a stopped sync pulled is in the workbook: the views show it
      if (WorkbenchError.from(error).code === 'cancelled') await ctx.changed();
    } finally {
      progress.element.hidden = true;
      running = null;
      go.disabled = false;
      close.textContent = 'Close';
    }
  };
  go.addEventListener('click', () => void run());
  for (const input of [server, password])
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        void run();
      }
    });
  go.focus();
}

function summary(report: SyncReport): string {
  return `${plural(report.pulled, 'transaction')} in, ${plural(report.pushed, 'transaction')} out, ${plural(report.conflicts, 'conflict')}`;
}

function syncReport(ctx: ReportContext, report: SyncReport): HTMLElement[] {
  const by = Object.entries(report.pulled_by).sort(([a], [b]) => a.localeCompare(b));
  return [
    h('h3', {}, 'Came in'),
    report.pulled === 0
      ? h('p', { 'data-report': 'in' }, 'Nothing new from the others.')
      : h(
          'div',
          { 'data-report': 'in' },
          h('p', {}, `${plural(report.pulled, 'transaction')} (${plural(report.changes, 'change')}):`),
          h('ul', { class: 'pulled-by' }, ...by.map(([analyst, n]) => h('li', { 'data-analyst': analyst }, `${analyst}: ${plural(n, 'transaction')}`))),
        ),
    h('h3', {}, 'Went out'),
    h(
      'p',
      { 'data-report': 'out' },
      report.push_refused
        ? `Nothing: ${report.push_refused} (${plural(report.unpushed, 'transaction')} not on the server)`
        : report.pushed === 0
          ? 'Nothing: the server holds all of this workbook’s transactions.'
          : `${plural(report.pushed, 'transaction')} pushed.`,
    ),
    conflictsLine(ctx, report.conflicts),
  ];
}
