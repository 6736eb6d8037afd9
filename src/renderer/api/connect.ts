// Which WorkbenchApi this page talks to, picked once at start: the Electron preload's bridge when there is one,
// otherwise the HTTP host that served the page (its token arrives in the URL and is kept for the session).
import type { WorkbenchApi } from '../../shared/api';
import { type AppEvent, apiFromBridge, type BridgeApi, type DesktopFiles } from '../../shared/bridge';
import { httpApi } from './http';

export interface Connection {
  api: WorkbenchApi;
  /** true in the desktop app: the menu owns the keyboard shortcuts and sends them as app events */
  desktop: boolean;
  /** the desktop app's file paths; null in a browser, which sends a file's text and takes exports as downloads */
  files: DesktopFiles | null;
  onAppEvent(listener: (event: AppEvent) => void): () => void;
  /** answers the desktop app's 'leave' event (a browser page has none: it asks through beforeunload) */
  answerLeave(request: string, leave: boolean): Promise<void>;
}

declare global {
  interface Window {
    workbench?: BridgeApi;
  }
}

const TOKEN_KEY = 'figures-workbench:host-token';

export function connect(): Connection {
  const bridge = window.workbench;
  if (bridge) {
    return {
      api: apiFromBridge(bridge),
      desktop: true,
      files: {
        pathForFile: (file) => bridge.pathForFile(file),
        chooseSavePath: (name) => bridge.chooseSavePath(name),
        chooseWorkbookPath: () => bridge.chooseWorkbookPath(),
      },
      onAppEvent: (listener) => bridge.onAppEvent(listener),
      answerLeave: (request, leave) => bridge.answerLeave(request, leave),
    };
  }

  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar (and of screenshots, bookmarks, history).
    params.delete('token');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  return { api: httpApi(location.origin, token), desktop: false, files: null, onAppEvent: () => () => undefined, answerLeave: async () => undefined };
}
