// Electron's security checklist on the real window options and the built page's CSP.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { META_CONTENT_SECURITY_POLICY } from '../../src/shared/csp';
import { CONTENT_SECURITY_POLICY, isTrustedUrl, windowOptions } from '../../src/main/window';

describe('BrowserWindow options', () => {
  const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences!;

  it('isolates the page: contextIsolation and sandbox on, every kind of nodeIntegration off', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content, webviews and experimental features', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('enables no Blink features and sets nothing beyond the reviewed options (checklist: "Do not use enableBlinkFeatures")', () => {
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });

  it('runs on a current Electron (checklist: "Use a current version of Electron"): a pinned 45 or newer', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(45);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );

  it('allows scripts only from the app itself: no remote scripts, no eval, no inline scripts', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });

  it('forbids framing the page (frame-ancestors), which only a header can say', () => {
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(META_CONTENT_SECURITY_POLICY).not.toMatch(/frame-ancestors/);
  });

  it('is the policy the built renderer page carries, less what a meta tag cannot carry', () => {
    const built = 'out/renderer/index.html';
    if (!existsSync(built)) {
      console.warn(`skipped: ${built} is missing; run \`electron-vite build\` (npm test does) to check the built page`);
      return;
    }
    const html = readFileSync(built, 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    const header = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors '));
    expect(META_CONTENT_SECURITY_POLICY.split('; ')).toEqual(header);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/(src|href)="https?:/); // nothing remote
  });
});

describe('trusted IPC senders', () => {
  const page = 'file:///opt/app/out/renderer/index.html';

  it('trusts the app page and nothing else', () => {
    expect(isTrustedUrl('file:///opt/app/out/renderer/index.html#/compare', page)).toBe(true);
    expect(isTrustedUrl('file:///tmp/evil.html', page)).toBe(false);
    expect(isTrustedUrl('https://example.org/', page)).toBe(false);
    expect(isTrustedUrl('', page)).toBe(false);
  });

  it('in development trusts the dev server origin only', () => {
    expect(isTrustedUrl('http://localhost:5173/index.html', 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});
