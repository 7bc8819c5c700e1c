/**
 * A minimal stand-in for the JavaScript side of a Unity WebGL player, enough to load a `.jslib` (and `.jspre`) the
 * way Emscripten links them, in Node or in a page:
 * - `mergeInto(LibraryManager.library, {...})` collects the library; every function is then re-created from its
 *   source text in one module scope, as Emscripten's linker does, so a function that leans on a closure of the
 *   .jslib file (instead of a declared `$` dependency) fails here as it would in a real build;
 * - `$name` symbols are emitted only when reachable through `__deps`, as globals named without the `$`;
 * - the scope has `HEAPF32`/`HEAPU8` over a WebAssembly.Memory (replaced on growth, like Emscripten's
 *   updateMemoryViews), `UTF8ToString`, and a `SendMessage` that records its calls;
 * - exported functions get Emscripten's `_` prefix.
 */

export interface SentMessage { gameObject: string; method: string; payload: string }

export interface EmscriptenHarness {
  /** `_Name` → the linked function (pointers and ints in, an int out). */
  readonly exports: Record<string, (...args: number[]) => number>;
  readonly memory: WebAssembly.Memory;
  heapF32(): Float32Array;
  /** A NUL-terminated UTF-8 copy of `s` on the heap; returns its pointer. */
  allocString(s: string): number;
  /** Room for `n` floats (4-byte aligned); returns the byte pointer. */
  allocFloats(n: number): number;
  writeFloats(ptr: number, values: ArrayLike<number>): void;
  readFloats(ptr: number, n: number): Float32Array;
  /** Grows the memory by `pages` 64 KiB pages; the old views are detached, as in a real player. */
  grow(pages: number): void;
  /** SendMessage calls so far, oldest first. */
  readonly sent: SentMessage[];
  /** Resolves with the first SendMessage (already sent or to come) that `match` accepts. */
  waitForMessage(match: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
}

type Library = Record<string, unknown>;

/** Collects what a .jslib merges into LibraryManager.library. */
function collectLibrary(jslib: string): Library {
  const library: Library = {};
  const LibraryManager = { library };
  const mergeInto = (target: Library, source: Library) => Object.assign(target, source);
  const autoAddDeps = (lib: Library, name: string) => {
    for (const k of Object.keys(lib)) {
      if (typeof lib[k] === 'function' && !k.startsWith('$') && k !== name) {
        const deps = (lib[`${k}__deps`] as string[] | undefined) ?? [];
        lib[`${k}__deps`] = [...deps, name];
      }
    }
  };
  new Function('mergeInto', 'LibraryManager', 'autoAddDeps', jslib)(mergeInto, LibraryManager, autoAddDeps);
  return library;
}

/** Source text of a library value, as Emscripten writes it into the player (functions by their source). */
function sourceOf(value: unknown): string {
  if (typeof value === 'function') return value.toString();
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${sourceOf(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** The module's text: `$` symbols reachable from the exports, then the exports themselves. */
function linkLibrary(library: Library): { code: string; exportNames: string[] } {
  const isMeta = (k: string) => /__(deps|postset|sig|proxy|async)$/.test(k);
  const exportNames = Object.keys(library).filter((k) => !k.startsWith('$') && !isMeta(k));
  const emitted = new Set<string>();
  const parts: string[] = [];
  const emitDeps = (k: string) => {
    for (const dep of (library[`${k}__deps`] as string[] | undefined) ?? []) {
      if (emitted.has(dep)) continue;
      emitted.add(dep);
      if (!(dep in library)) throw new Error(`jslib: ${k} depends on ${dep}, which the library does not define`);
      emitDeps(dep);
      parts.push(`var ${dep.replace(/^\$/, '')} = ${sourceOf(library[dep])};`);
      const postset = library[`${dep}__postset`];
      if (typeof postset === 'string') parts.push(postset);
    }
  };
  for (const k of exportNames) {
    emitDeps(k);
    parts.push(`var _${k} = ${sourceOf(library[k])};`);
  }
  return { code: parts.join('\n'), exportNames };
}

export function loadJslib(options: { jslib: string; jspre?: string; initialPages?: number }): EmscriptenHarness {
  const memory = new WebAssembly.Memory({ initial: options.initialPages ?? 16, maximum: 1024 });
  const sent: SentMessage[] = [];
  const waiters: Array<{ match: (m: SentMessage) => boolean; resolve: (m: SentMessage) => void }> = [];
  const sendMessage = (gameObject: string, method: string, payload: string) => {
    const m = { gameObject: String(gameObject), method: String(method), payload: String(payload) };
    sent.push(m);
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.match(m)) { waiters[i]!.resolve(m); waiters.splice(i, 1); }
  };
  const decoder = new TextDecoder();
  const { code, exportNames } = linkLibrary(collectLibrary(options.jslib));
  const moduleText = `
var HEAPU8, HEAPF32;
function updateMemoryViews() { HEAPU8 = new Uint8Array(env.memory.buffer); HEAPF32 = new Float32Array(env.memory.buffer); }
updateMemoryViews();
function UTF8ToString(ptr) { var end = ptr; while (HEAPU8[end]) end++; return env.decode(HEAPU8.subarray(ptr, end)); }
var SendMessage = env.sendMessage;
${options.jspre ?? ''}
;${code}
return { exports: { ${exportNames.map((n) => `_${n}: _${n}`).join(', ')} }, updateMemoryViews: updateMemoryViews, heapF32: function () { return HEAPF32; } };`;
  const linked = new Function('env', moduleText)({
    memory, sendMessage, decode: (bytes: Uint8Array) => decoder.decode(bytes),
  }) as { exports: EmscriptenHarness['exports']; updateMemoryViews: () => void; heapF32: () => Float32Array };

  let top = 1024; // bump allocator; address 0 stays NULL
  const alloc = (bytes: number) => {
    const p = top;
    top = (top + bytes + 7) & ~7;
    if (top > memory.buffer.byteLength) throw new Error('harness heap exhausted');
    return p;
  };
  return {
    exports: linked.exports,
    memory,
    heapF32: linked.heapF32,
    allocString(s) {
      const bytes = new TextEncoder().encode(s);
      const p = alloc(bytes.length + 1);
      const u8 = new Uint8Array(memory.buffer);
      u8.set(bytes, p);
      u8[p + bytes.length] = 0;
      return p;
    },
    allocFloats: (n) => alloc(n * 4),
    writeFloats(ptr, values) { linked.heapF32().set(values, ptr >> 2); },
    readFloats(ptr, n) { return linked.heapF32().slice(ptr >> 2, (ptr >> 2) + n); },
    grow(pages) { memory.grow(pages); linked.updateMemoryViews(); },
    sent,
    waitForMessage(match, timeoutMs = 20_000) {
      const already = sent.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no SendMessage matched within ${timeoutMs} ms; sent: ${JSON.stringify(sent)}`));
        }, timeoutMs);
        const w = { match, resolve: (m: SentMessage) => { clearTimeout(timer); resolve(m); } };
        waiters.push(w);
      });
    },
  };
}
