// unity/ must import as a Unity package: a UPM manifest, an assembly definition that references XR Hands, and a
// .meta (unique GUID) beside every file and folder — Unity ignores files without one in an immutable package. The
// plugin files are enabled for WebGL only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../unity/', import.meta.url));
const GENERATED = 'Plugins/WebGL/hearing-hands-runtime.jspre'; // built by scripts/build-unity.mjs, not committed

function walkAll(dir: string): string[] {
  return readdirSync(dir).filter((n) => !n.startsWith('.')).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? [p, ...walkAll(p)] : [p];
  });
}
const walk = (dir: string) => walkAll(dir).filter((p) => !p.endsWith('.meta'));

test('UPM manifest: a reverse-domain name, a version, the Unity version, and XR Hands as a dependency', () => {
  const m = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.match(m.name, /^com\.[a-z0-9-]+\.[a-z0-9.-]+$/);
  assert.match(m.version, /^\d+\.\d+\.\d+$/);
  assert.match(m.unity, /^\d{4}\.\d$/);
  assert.ok(m.dependencies['com.unity.xr.hands']);
  const asmdef = JSON.parse(readFileSync(join(pkg, 'Runtime/HearingHands.Unity.asmdef'), 'utf8'));
  assert.deepEqual(asmdef.references, ['Unity.XR.Hands']);
});

test('every file and folder of the package has a .meta with its own GUID (the generated runtime bundle too)', () => {
  const assets = [...walk(pkg).map((p) => relative(pkg, p)), GENERATED];
  const guids = new Map<string, string>();
  for (const a of new Set(assets)) {
    const meta = join(pkg, `${a}.meta`);
    assert.ok(existsSync(meta), `${a}.meta is missing`);
    const guid = /^guid: ([0-9a-f]{32})$/m.exec(readFileSync(meta, 'utf8'))?.[1];
    assert.ok(guid, `${a}.meta has no guid`);
    assert.ok(!guids.has(guid), `${a} and ${guids.get(guid)} share a GUID`);
    guids.set(guid, a);
  }
  for (const meta of walkAll(pkg).filter((p) => p.endsWith('.meta'))) {
    const asset = relative(pkg, meta.slice(0, -'.meta'.length));
    assert.ok(asset === GENERATED || existsSync(join(pkg, asset)), `orphan ${meta}`);
  }
});

test('the plugin files are enabled for WebGL players only', () => {
  for (const f of ['Plugins/WebGL/HearingHands.jslib', GENERATED]) {
    const meta = readFileSync(join(pkg, `${f}.meta`), 'utf8');
    assert.match(meta, /PluginImporter:/);
    assert.match(meta, /WebGL: WebGL\n\s+second:\n\s+enabled: 1/, f);
    assert.match(meta, /Any: \n\s+second:\n\s+enabled: 0/, f);
  }
});
