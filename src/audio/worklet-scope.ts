/**
 * The names the AudioWorkletGlobalScope gives its processors, typed once: TypeScript's DOM library does not declare
 * them, and declaring them as globals would let main-thread code use them by mistake. Read them through `worklet`.
 */
export interface WorkletScope {
  readonly sampleRate: number;
  /** The audio clock in frames: a Number in browsers, a BigInt in node-web-audio-api. */
  readonly currentFrame: number | bigint;
  readonly AudioWorkletProcessor: new (options?: unknown) => { readonly port: MessagePort };
  registerProcessor(name: string, ctor: unknown): void;
}

export const worklet = globalThis as unknown as WorkletScope;
