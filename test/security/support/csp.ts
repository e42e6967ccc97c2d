/** Directives of a Content-Security-Policy header, each with its source list. */
export function parseCsp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Whether `directive` (or default-src) lets the page at `pageUrl` load `assetUrl`. */
export function cspAllows(
  csp: Map<string, string[]>,
  directive: string,
  assetUrl: URL,
  pageUrl: URL,
): boolean {
  const sources = csp.get(directive) ?? csp.get('default-src');
  if (!sources) return true;
  if (assetUrl.protocol === 'data:') return sources.includes('data:');
  if (assetUrl.origin === pageUrl.origin && sources.includes("'self'")) return true;
  return sources.some((source) => {
    if (source === `${assetUrl.protocol}`) return true;
    if (source.startsWith("'")) return false;
    const withScheme = /^[a-z]+:\/\//.test(source) ? source : `${assetUrl.protocol}//${source}`;
    const allowed = new URL(withScheme.replace('*.', 'wildcard.'));
    if (allowed.protocol !== assetUrl.protocol) return false;
    return source.includes('*.')
      ? assetUrl.hostname.endsWith(allowed.hostname.replace(/^wildcard/, ''))
      : allowed.host === assetUrl.host;
  });
}

export interface PageAsset {
  url: URL;
  directive: 'script-src' | 'style-src' | 'img-src';
  expectedType: RegExp;
}

/**
 * The scripts, stylesheets and icons an HTML page loads, plus its executable inline scripts
 * (JSON data blocks do not run, so they need no CSP permission).
 */
export function pageAssets(
  html: string,
  pageUrl: URL,
): { assets: PageAsset[]; inlineScripts: number; inlineStyleAttributes: number } {
  const base = new URL(/<base\s+href="([^"]+)"/i.exec(html)?.[1] ?? '', pageUrl);
  const attribute = (tag: string, name: string) =>
    new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag)?.[1];
  const assets: PageAsset[] = [];
  let inlineScripts = 0;
  for (const [, attrs] of html.matchAll(/<script\b([^>]*)>/gi)) {
    const src = attribute(attrs, 'src');
    if (src)
      assets.push({ url: new URL(src, base), directive: 'script-src', expectedType: /javascript/ });
    else if (!/application\/json|importmap/i.test(attribute(attrs, 'type') ?? ''))
      inlineScripts += 1;
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel') ?? '';
    const href = attribute(tag, 'href');
    if (!href) continue;
    if (/stylesheet/i.test(rel))
      assets.push({ url: new URL(href, base), directive: 'style-src', expectedType: /text\/css/ });
    else if (/icon/i.test(rel))
      assets.push({ url: new URL(href, base), directive: 'img-src', expectedType: /^image\// });
  }
  const inlineStyleAttributes = [...html.matchAll(/\sstyle\s*=\s*"/gi)].length;
  return { assets, inlineScripts, inlineStyleAttributes };
}
