import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/**
 * The apps transpiled once (as ts-node --transpile-only would on every start) into
 * dist/resilience, kept while no source is newer: a process then starts several times
 * faster, so restarts under load stay short. Returns the directory (tsconfig-paths' base URL).
 */
export function transpileApps(): string {
  const out = join(ROOT, 'dist', 'resilience');
  const marker = join(out, '.transpiled');
  const sources = ['apps', 'libs'].flatMap((top) => [...files(join(ROOT, top))]);
  const newest = Math.max(...sources.map((file) => statSync(file).mtimeMs));
  if (existsSync(marker) && statSync(marker).mtimeMs > newest) return out;
  rmSync(out, { recursive: true, force: true });
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  for (const file of sources) {
    const target = join(out, relative(ROOT, file));
    if (file.endsWith('.spec.ts')) continue;
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions: { ...options, sourceMap: false, inlineSourceMap: true },
        fileName: file,
      });
      writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
    } else {
      copyFileSync(file, target);
    }
  }
  writeFileSync(marker, new Date().toISOString());
  return out;
}
