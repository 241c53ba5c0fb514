/**
 * The Content Security Policy of the renderer, the same string as the meta tag in
 * `src/renderer/index.html`. Serve mode sends it as a header on every response and the Electron
 * shell adds it to every response the window loads, so the policy holds even if the meta tag is
 * ever lost from a build.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every serve-mode response, static or API, success or error. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Redundant with frame-ancestors for browsers that predate CSP 2.
  'X-Frame-Options': 'DENY',
  // Other sites cannot embed our JSON as a <script> or <img> and read it through side channels.
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
