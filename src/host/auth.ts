// Who may talk to the host: a page that holds this run's token, on the loopback address, through a Host header that
// names it (a DNS-rebinding page on another name is refused even though it reaches 127.0.0.1).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HTTP_TOKEN_HEADER } from '../shared/http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The page's own files: the token in the URL (the first load) or the cookie that first load set. */
export function cookieName(port: number): string {
  // Cookies ignore ports: two hosts on 127.0.0.1 must not overwrite each other's.
  return `workbench_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function cookieToken(request: IncomingMessage, port: number): string | null {
  const header = request.headers.cookie ?? '';
  const name = `${cookieName(port)}=`;
  for (const part of header.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(name)) return trimmed.slice(name.length);
  }
  return null;
}

/** API calls: the token in the header only (a cookie alone would let another page's form post to us). */
export function hasApiToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers[HTTP_TOKEN_HEADER];
  return sameToken(token, Array.isArray(header) ? header[0] : header);
}

export function hasPageToken(request: IncomingMessage, url: URL, token: string, port: number): boolean {
  return sameToken(token, url.searchParams.get('token')) || sameToken(token, cookieToken(request, port));
}

export function isOwnHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
