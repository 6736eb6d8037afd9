// The renderer's Content-Security-Policy, one list for every place that serves the page: Electron's response
// headers and the HTTP host send it whole; the built index.html (written in by electron.vite.config.ts) carries
// it too, for a page loaded without those headers.
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

/** Directives a `<meta>` policy cannot carry: browsers ignore them there and print an error on every page load
 * (https://www.w3.org/TR/CSP3/#meta-element). They come with the header. */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The policy for index.html's `<meta http-equiv>`: the header's, less the directives a meta tag cannot carry. */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !HEADER_ONLY.includes(directive.split(' ')[0]!))
  .join('; ');
