import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/** Bundles a TypeScript entry (e.g. an AudioWorklet processor) into one ESM file in a temp folder; returns its path. */
export async function bundleForTest(entry: URL): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hh-bundle-'));
  const outfile = join(dir, basename(entry.pathname).replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [entry.pathname], bundle: true, format: 'esm', outfile, logLevel: 'silent', target: 'es2022' });
  return outfile;
}
