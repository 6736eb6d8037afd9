// Builds the window once the entry has connected and asked for the first data.
import '../styles/app.css';
import type { Connection } from '../api/connect';
import { followColorScheme as gridFollowsScheme } from '../grid/theme';
import { emptyState } from '../ui/dom';
import { errorMessage } from '../ui/status';
import type { FirstData } from './firstData';
import { Shell } from './shell';

export async function start(connection: Connection, first: FirstData): Promise<void> {
  const root = document.getElementById('app')!;
  gridFollowsScheme();
  try {
    const shell = new Shell(root, connection, first);
    await shell.start();
    document.body.dataset.ready = 'true';
  } catch (error) {
    root.replaceChildren(emptyState('The workbook could not be opened', errorMessage(error)));
    document.body.dataset.ready = 'error';
  }
}
