// The application menu as data: what each item is called, its accelerator, and what it does. index.ts gives the
// actions; a test checks the template without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/bridge';

export interface MenuActions {
  newWorkbook(): void;
  openWorkbook(path?: string): void;
  backup(): void;
  /** a command the renderer carries out */
  send(command: MenuCommand): void;
}

export function menuTemplate(actions: MenuActions, recent: string[], platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => actions.send(command);
  const template: MenuItemConstructorOptions[] = [
    {
      label: '&File',
      submenu: [
        { label: '&New Workbook…', accelerator: 'CmdOrCtrl+N', click: () => actions.newWorkbook() },
        { label: '&Open Workbook…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkbook() },
        {
          label: 'Open &Recent',
          submenu: recent.length
            ? recent.map((path) => ({ label: path, click: () => actions.openWorkbook(path) }))
            : [{ label: 'No recent workbooks', enabled: false }],
        },
        { label: 'Save a Copy / &Backup…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.backup() },
        { label: '&Merge a Workbook…', click: send('merge-workbook') },
        { label: 'S&ync…', click: send('sync') },
        { type: 'separator' },
        { label: '&Import CSV…', accelerator: 'CmdOrCtrl+I', click: send('import-csv') },
        { label: '&Export CSV…', accelerator: 'CmdOrCtrl+E', click: send('export-csv') },
        { label: 'Export Chart &PNG…', accelerator: 'CmdOrCtrl+Shift+E', click: send('export-chart-png') },
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // Undo and redo are the workbook's (the change log), not the text field's: the renderer decides which.
        { label: '&Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
        { label: '&Redo', accelerator: platform === 'darwin' ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: send('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: '&Find…', accelerator: 'CmdOrCtrl+F', click: send('find') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: '&Figures', accelerator: 'CmdOrCtrl+1', click: send('show-figures') },
        { label: '&Compare', accelerator: 'CmdOrCtrl+2', click: send('show-compare') },
        { label: '&Sources and Citations', accelerator: 'CmdOrCtrl+3', click: send('show-sources') },
        { label: 'C&hecks', accelerator: 'CmdOrCtrl+4', click: send('show-checks') },
        { label: 'C&onflicts', accelerator: 'CmdOrCtrl+5', click: send('show-conflicts') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
  ];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}
