/**
 * The demo's server: serves xr-demo/dist/ cross-origin isolated (COOP same-origin + COEP require-corp, which
 * SharedArrayBuffer needs) and receives captures (POST /api/capture → dataset items under --captures).
 *
 *   npx tsx xr-demo/serve.ts [--port 8443] [--host 0.0.0.0] [--https] [--cert c.pem --key k.pem] [--captures dir]
 *
 * A Quest needs HTTPS for WebXR and the microphone unless the page is on localhost: --https makes a self-signed
 * certificate with openssl (kept in ~/.cache/hearing-hands-xr-demo) and listens on the LAN. Alternatively keep HTTP
 * and forward the port over USB: `adb reverse tcp:8080 tcp:8080`, then open http://localhost:8080 on the Quest.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, networkInterfaces } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Dsp } from '../src/dsp/index.js';
import { decodeCapture } from './src/capture/capture-payload.js';
import { writeCapture } from './server/capture-writer.js';

export interface DemoServerOptions {
  /** The built page (xr-demo/dist). */
  dir: string;
  /** Where captures are written (a dataset root). */
  capturesDir: string;
  host?: string;
  port?: number;
  tls?: { cert: Buffer; key: Buffer } | null;
  /** Called for every request that fails (tests print these). */
  log?: (line: string) => void;
}

export interface DemoServer { origin: string; close(): Promise<void> }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.json': 'application/json',
  '.splat': 'application/octet-stream', '.ply': 'application/octet-stream', '.spz': 'application/octet-stream', '.wasm': 'application/wasm',
};
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
const MAX_CAPTURE_BYTES = 200 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolveBody, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => { n += c.length; if (n > MAX_CAPTURE_BYTES) { reject(new Error('capture too large')); req.destroy(); } else parts.push(c); });
    req.on('end', () => resolveBody(new Uint8Array(Buffer.concat(parts))));
    req.on('error', reject);
  });
}

export async function startDemoServer(o: DemoServerOptions): Promise<DemoServer> {
  const dsp = await Dsp.create();
  const root = resolve(o.dir);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, type: string, body: string | Buffer) => { res.writeHead(status, { 'Content-Type': type, ...ISOLATION }); res.end(body); };
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'POST' && path === '/api/capture') {
      readBody(req).then((body) => {
        const written = writeCapture(o.capturesDir, decodeCapture(body), dsp);
        send(200, 'application/json', JSON.stringify(written));
      }).catch((e: Error) => { o.log?.(`capture failed: ${e.message}`); send(400, 'application/json', JSON.stringify({ error: e.message })); });
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) { send(404, 'text/plain', 'not found'); return; }
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  };
  const server: Server = o.tls ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, handler) : createHttpServer(handler);
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const host = o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1';
  return { origin: `${o.tls ? 'https' : 'http'}://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A self-signed certificate for the machine's LAN addresses (made once with openssl). */
function selfSignedCertificate(): { cert: Buffer; key: Buffer } {
  const dir = join(homedir(), '.cache', 'hearing-hands-xr-demo');
  const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    const ips = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4').map((a) => `IP:${a!.address}`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '825', '-subj', '/CN=hearing-hands xr-demo',
      '-addext', `subjectAltName=DNS:localhost,${ips.join(',')}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  }
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
  const https = args.includes('--https') || !!opt('cert');
  const demoDir = fileURLToPath(new URL('.', import.meta.url));
  const tls = opt('cert') && opt('key') ? { cert: readFileSync(opt('cert')!), key: readFileSync(opt('key')!) } : https ? selfSignedCertificate() : null;
  const s = await startDemoServer({
    dir: opt('dir') ?? join(demoDir, 'dist'), capturesDir: resolve(opt('captures') ?? join(demoDir, '..', 'out', 'xr-captures')),
    host: opt('host') ?? (https ? '0.0.0.0' : '127.0.0.1'), port: Number(opt('port') ?? (https ? 8443 : 8080)), tls, log: console.error,
  });
  const port = new URL(s.origin).port;
  console.log(`xr-demo on ${s.origin}/  (desktop emulator: ${s.origin}/?desktop=1)`);
  if (https) {
    for (const a of Object.values(networkInterfaces()).flat()) if (a && a.family === 'IPv4' && !a.internal) console.log(`  on the Quest: https://${a.address}:${port}/  (accept the self-signed certificate once)`);
  }
}
