// The renderer's entry: connect to the workbook (Electron's bridge or the HTTP host), then build the window.
import './zodConfig';
import './styles/app.css';
import { connect } from './api/connect';
import { Shell } from './app/shell';
import { followColorScheme as chartsFollowScheme } from './charts/setup';
import { followColorScheme as gridFollowsScheme } from './grid/theme';
import { emptyState } from './ui/dom';
import { errorMessage } from './ui/status';

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  gridFollowsScheme();
  chartsFollowScheme();
  try {
    const shell = new Shell(root, connect());
    await shell.start();
    document.body.dataset.ready = 'true';
  } catch (error) {
    root.replaceChildren(emptyState('The workbook could not be opened', errorMessage(error)));
    document.body.dataset.ready = 'error';
  }
}

void start();
