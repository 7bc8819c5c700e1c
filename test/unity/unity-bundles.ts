/** The scripts a Unity WebGL player would load, for the tests: the .jslib as committed, and .jspre bundles. */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const JSLIB_PATH = join(root, 'unity/Plugins/WebGL/HearingHands.jslib');

export function readJslib(): string { return readFileSync(JSLIB_PATH, 'utf8'); }

let runtime: string | null = null;
/** The runtime .jspre, built by the real build script (scripts/build-unity.mjs) into a temp folder. */
export function buildRuntimeJspre(): string {
  if (runtime === null) {
    const out = join(mkdtempSync(join(tmpdir(), 'hh-unity-')), 'hearing-hands-runtime.jspre');
    execFileSync(process.execPath, [join(root, 'scripts/build-unity.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
    runtime = readFileSync(out, 'utf8');
  }
  return runtime;
}

/** A .jspre whose runtime is test/unity/fake-runtime-entry.ts (same global name and syntax level as the real one). */
export async function buildFakeJspre(): Promise<string> {
  const r = await build({
    entryPoints: [join(root, 'test/unity/fake-runtime-entry.ts')], bundle: true, format: 'iife', globalName: 'HearingHandsRuntime',
    platform: 'neutral', target: 'es2017', write: false, logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}
