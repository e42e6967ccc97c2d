import { RawResponse } from './http';

const HALF_A_YEAR_SECONDS = 15_552_000;

/** What is wrong with the security headers of an answer (empty when nothing is). */
export function headerProblems(res: RawResponse): string[] {
  const problems: string[] = [];
  const h = (name: string) => res.headers.get(name);
  const hsts = /max-age=(\d+)/.exec(h('strict-transport-security') ?? '');
  if (!hsts || Number(hsts[1]) < HALF_A_YEAR_SECONDS)
    problems.push(`Strict-Transport-Security is ${h('strict-transport-security')}`);
  if (h('x-content-type-options') !== 'nosniff')
    problems.push(`X-Content-Type-Options is ${h('x-content-type-options')}`);
  const csp = h('content-security-policy') ?? '';
  const framing =
    /frame-ancestors '(none|self)'/.test(csp) ||
    /^(DENY|SAMEORIGIN)$/i.test(h('x-frame-options') ?? '');
  if (!framing) problems.push('neither frame-ancestors nor X-Frame-Options forbids framing');
  if ((h('content-type') ?? '').startsWith('text/html')) {
    if (!/default-src|script-src/.test(csp))
      problems.push('an HTML answer without a Content-Security-Policy');
    if (/script-src[^;]*'unsafe-(inline|eval)'/.test(csp))
      problems.push(`CSP allows unsafe scripts: ${csp}`);
  }
  if (h('x-powered-by')) problems.push(`X-Powered-By: ${h('x-powered-by')}`);
  if (!h('x-request-id')) problems.push('no X-Request-Id');
  return problems;
}
