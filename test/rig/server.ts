/**
 * The rig's HTTP server: 127.0.0.1, a free port, cross-origin isolated (COOP same-origin + COEP
 * require-corp, so SharedArrayBuffer and Atomics.wait work), serving
 * - `/<name>.html`: a page that loads the bundle `<name>` (or a page given verbatim);
 * - `/bundles/<name>.js`: a TypeScript entry bundled by esbuild for the browser (ESM, built once, cached).
 * Nothing is fetched from outside: Babylon, IWER and our code all come from node_modules and the tree.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface RigServerOptions {
  /** Bundle name → absolute path of its TypeScript entry. */
  entries: Record<string, string>;
  /** Extra pages: path (e.g. '/index.html') → HTML. */
  pages?: Record<string, string>;
  /** Static folders: URL prefix (e.g. '/ort/') → absolute directory (onnxruntime-web's dist, models/). */
  files?: Record<string, string>;
}

export interface RigServer {
  readonly origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const FILE_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
};

export function defaultPageHtml(bundle: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${bundle}</title></head>
<body style="margin:0"><canvas id="canvas" width="640" height="480"></canvas>
<script type="module" src="/bundles/${bundle}.js"></script></body></html>`;
}

export async function startRigServer(options: RigServerOptions): Promise<RigServer> {
  const cache = new Map<string, Promise<string>>();
  const bundle = (name: string): Promise<string> => {
    let p = cache.get(name);
    if (!p) {
      const entry = options.entries[name]!;
      p = build({
        entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120',
        write: false, sourcemap: 'inline', logLevel: 'silent',
      }).then((r) => r.outputFiles[0]!.text);
      cache.set(name, p);
    }
    return p;
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': type, ...ISOLATION_HEADERS });
      res.end(body);
    };
    const staticPrefix = Object.keys(options.files ?? {}).find((p) => path.startsWith(p));
    if (staticPrefix) {
      const rel = normalize(decodeURIComponent(path.slice(staticPrefix.length)));
      if (rel.startsWith('..')) return send(403, 'text/plain', 'forbidden');
      readFile(join(options.files![staticPrefix]!, rel)).then((body) => {
        res.writeHead(200, { 'Content-Type': FILE_TYPES[rel.slice(rel.lastIndexOf('.'))] ?? 'application/octet-stream', ...ISOLATION_HEADERS });
        res.end(body);
      }, () => send(404, 'text/plain', 'not found'));
      return;
    }
    const bundleMatch = /^\/bundles\/([\w-]+)\.js$/.exec(path);
    const pageMatch = /^\/([\w-]+)\.html$/.exec(path);
    if (options.pages?.[path]) send(200, 'text/html', options.pages[path]!);
    else if (bundleMatch && options.entries[bundleMatch[1]!]) {
      bundle(bundleMatch[1]!).then((js) => send(200, 'text/javascript', js), (e: Error) => send(500, 'text/plain', e.message));
    } else if (pageMatch && options.entries[pageMatch[1]!]) send(200, 'text/html', defaultPageHtml(pageMatch[1]!));
    else send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (p) => origin + p,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
