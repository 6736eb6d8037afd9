// The renderer's entry: connect to the workbook (Electron's bridge or the HTTP host), ask at once for what the window
// shows first, and load the rest of the app (the grid, the charts: most of the code) while the answers come.
import { connect } from './api/connect';
import { requestFirstData } from './app/firstData';

const connection = connect();
const first = requestFirstData(connection.api);
void import('./app/start').then(
  ({ start }) => start(connection, first),
  (error: unknown) => {
    // the app's code itself failed to load: say so in the page rather than leave it blank
    document.getElementById('app')!.textContent = `Figures Workbench could not start: ${error instanceof Error ? error.message : String(error)}`;
    document.body.dataset.ready = 'error';
  },
);
