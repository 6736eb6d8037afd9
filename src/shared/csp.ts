// The renderer's Content-Security-Policy, one string for every place that serves the page: the built index.html
// (written in by electron.vite.config.ts), Electron's response headers, and the HTTP test host.
// No remote anything, no eval, no inline scripts; inline styles only because ag-grid sets element styles.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
