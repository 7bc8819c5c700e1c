/**
 * Chooses and builds the sampler Worker's sound generator (the browser twin of create-generator.ts): the flow model
 * through onnxruntime-web — the WebGPU EP when the page has an adapter (with a wasm session on standby, so that a
 * lost device costs no session creation), else the wasm EP — or the procedural baseline when asked, or when the
 * model cannot run and the caller allows it (the reason is reported first, as a typed error).
 */
import { Dsp } from '../../dsp/index.js';
import { BackendUnavailableError, HearingHandsError, ModelLoadError } from '../../errors.js';
import { FlowModel } from '../../model/flow-model.js';
import { tickFeeds, zeroTickStates } from '../../model/mel-stream.js';
import { assertCompatible, parseManifest, type ModelManifest } from '../../model/manifest.js';
import { configureOrtWeb, createWebRunner, requestWebGpuDevice, useWebGpuDevice, type OrtWebModule, type WebEp } from '../../model/backend-web.js';
import { FailoverRunner, type FailoverEvent } from '../../model/failover-runner.js';
import type { OnnxRunner } from '../../model/runner.js';
import type { SoundGenerator } from '../generator.js';
import { ModelGenerator } from '../model-generator.js';
import { OnsetBackstop, type BackstopDecision } from '../onset-backstop.js';
import { ProceduralGenerator } from '../procedural-generator.js';
import { trajectoryModelScene } from '../trajectory-scene.js';
import type { ActiveBackend, GeneratorSpec, ModelSource } from './protocol.js';

export interface BuiltGenerator {
  generator: SoundGenerator;
  backend: ActiveBackend;
  /** The model's runner when it can switch (WebGPU → wasm, or the test standby). */
  failover: FailoverRunner | null;
  device: GPUDevice | null;
  /** Why the preferred backend is not running (the first thing the caller reports). */
  fallback: HearingHandsError | null;
  /** A fresh model generator on the same sessions (a stream restarted at the present), or null for procedural. */
  remake: (() => SoundGenerator) | null;
}

export interface GeneratorEvents {
  /** The model's runner switched EP mid-session (the device was lost, or the session failed). */
  onFailover(e: FailoverEvent): void;
  /** A backend was passed over on the way (e.g. WebGPU refused: wasm runs instead): reported, not fatal. */
  onNotice(e: HearingHandsError): void;
  /** The onset backstop's decisions (spec.reportBackstop). */
  onBackstopDecision?(d: BackstopDecision): void;
}

async function fetchBytes(url: string, what: string): Promise<ArrayBuffer> {
  let res: Response;
  try { res = await fetch(url); } catch (e) { throw new ModelLoadError(`cannot fetch ${what} ${url}: ${(e as Error).message}`, { cause: e }); }
  if (!res.ok) throw new ModelLoadError(`cannot fetch ${what} ${url}: HTTP ${res.status}${res.status === 404 ? ' (missing)' : ''}`);
  return res.arrayBuffer();
}

async function readModel(source: ModelSource): Promise<{ manifest: ModelManifest; tickBytes: Uint8Array }> {
  if ('manifestUrl' in source) {
    const text = new TextDecoder().decode(await fetchBytes(source.manifestUrl, 'model manifest'));
    const manifest = parseManifest(text, source.manifestUrl);
    assertCompatible(manifest); // before fetching megabytes
    const tickBytes = new Uint8Array(await fetchBytes(new URL(manifest.files.tick, source.manifestUrl).href, 'ONNX tick graph'));
    return { manifest, tickBytes };
  }
  const manifest = parseManifest(source.manifestText, 'the given manifest');
  assertCompatible(manifest);
  return { manifest, tickBytes: new Uint8Array(source.tickBytes) };
}

/** The WebGPU build runs the WebGPU EP; the wasm-only build runs the wasm EP (also as the WebGPU session's standby). */
async function importOrt(webgpu: boolean): Promise<OrtWebModule> {
  return (webgpu ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm')) as unknown as OrtWebModule;
}

/** One throwaway run: the first run of a session compiles kernels (WebGPU shaders, wasm allocations). */
async function warmUp(runner: OnnxRunner, manifest: ModelManifest): Promise<void> {
  const f = manifest.stream.chunkFrames, { visualDim, actionDim } = manifest.conditioning;
  await runner.run(tickFeeds(manifest, new Float32Array(80 * f), new Float32Array(f * actionDim), new Float32Array(f * visualDim),
    visualDim, Float32Array.of(1, 1), manifest.sampling.fewGuidance, zeroTickStates(manifest)));
}

export async function buildGenerator(spec: GeneratorSpec, outputRate: number, events: GeneratorEvents): Promise<BuiltGenerator> {
  const procedural = (fallback: HearingHandsError | null): BuiltGenerator => ({
    generator: new ProceduralGenerator({ outputRate, material: spec.material, surfaceHeightM: spec.surfaceHeightM, marginSec: spec.marginSec }),
    backend: 'procedural', failover: null, device: null, fallback, remake: null,
  });
  if (spec.backend === 'procedural') return procedural(null);
  try {
    if (!spec.model) throw new ModelLoadError('no model given (HearingHands.create({ model: { manifestUrl } }))');
    const { manifest, tickBytes } = await readModel(spec.model);
    const what = manifest.files.tick;
    let ep: WebEp = 'wasm';
    let device: GPUDevice | null = null;
    if (spec.backend === 'auto' || spec.backend === 'webgpu') {
      const r = await requestWebGpuDevice();
      device = r.device;
      if (device) ep = 'webgpu';
      else if (spec.backend === 'webgpu') events.onNotice(new BackendUnavailableError(`WebGPU asked for but ${r.reason}: using the wasm EP`));
    }
    const wasmBuild = async () => {
      const m = await importOrt(false);
      configureOrtWeb(m, { wasmPaths: spec.ortWasmPaths, threads: 1 });
      return m;
    };
    let tick: OnnxRunner | null = null;
    let failover: FailoverRunner | null = null;
    if (ep === 'webgpu') {
      try {
        const ort = await importOrt(true);
        configureOrtWeb(ort, { wasmPaths: spec.ortWasmPaths, threads: 1 });
        useWebGpuDevice(ort, device!);
        const primary = await createWebRunner(ort, tickBytes, 'webgpu', what);
        await warmUp(primary, manifest);
        // The standby runs in the wasm-only build: its own wasm instance, which a failing WebGPU run cannot leave
        // in a broken state (the WebGPU build's instance can trap afterwards: "unaligned accesses").
        const standby = await createWebRunner(await wasmBuild(), tickBytes, 'wasm', what);
        await warmUp(standby, manifest);
        failover = new FailoverRunner(primary, standby, events.onFailover);
        const f = failover;
        void device!.lost.then((info) => f.primaryLost(`WebGPU device lost (${info.reason}): ${info.message}`));
        tick = failover;
      } catch (e) {
        if (e instanceof ModelLoadError) throw e; // the graph itself is bad: the wasm EP would refuse it too
        events.onNotice(new BackendUnavailableError(`the WebGPU EP failed to start (${(e as Error).message}): using the wasm EP`));
        device?.destroy();
        device = null;
        ep = 'wasm';
      }
    }
    if (!tick) {
      const wasmOrt = await wasmBuild();
      tick = await createWebRunner(wasmOrt, tickBytes, 'wasm', what);
      await warmUp(tick, manifest);
      if (spec.faultInjection) {
        const standby = await createWebRunner(wasmOrt, tickBytes, 'wasm', what);
        await warmUp(standby, manifest);
        failover = new FailoverRunner(tick, standby, events.onFailover);
        tick = failover;
      }
    }
    const model = await FlowModel.fromRunners(manifest, tick);
    const surface = { heightM: spec.surfaceHeightM, x: spec.surfaceCenterM[0], z: spec.surfaceCenterM[1] };
    const dsp = await Dsp.create();
    const remake = (): SoundGenerator => {
      const generator = new ModelGenerator({
        model, dsp, outputRate, ...trajectoryModelScene(surface, spec.material, manifest.conditioning.visualDim),
        tickFrames: spec.tickFrames ?? undefined,
      });
      return spec.onsetBackstop ? new OnsetBackstop({
        model: generator, material: spec.material, surfaceHeightM: spec.surfaceHeightM,
        ...(spec.reportBackstop && events.onBackstopDecision ? { onDecision: events.onBackstopDecision } : {}),
      }) : generator;
    };
    return { generator: remake(), backend: ep, failover, device, fallback: null, remake };
  } catch (err) {
    const typed = err instanceof HearingHandsError ? err : new ModelLoadError(`the model could not start: ${(err as Error).message}`, { cause: err });
    if (!spec.allowProceduralFallback) throw typed;
    return procedural(typed);
  }
}
