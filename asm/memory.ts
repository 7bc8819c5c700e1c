// Memory for the DSP core. The stub runtime only bump-allocates, so every buffer here is allocated once and
// grown (doubling) only when a larger input than ever before arrives: no allocation in steady state.

/** Allocates `n` f32 (16-byte aligned, zeroed) and returns the byte pointer. Used by JS for its staging buffers. */
export function allocF32(n: i32): usize {
  const bytes = <usize>(max(n, 4) << 2);
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** A growable scratch buffer of f32 owned by the DSP core. */
export class Scratch {
  ptr: usize = 0;
  cap: i32 = 0;
  /** Returns a pointer to at least `n` f32; contents are not preserved when it grows. */
  ensure(n: i32): usize {
    if (n > this.cap) {
      let c = max(this.cap, 1024);
      while (c < n) c <<= 1;
      this.ptr = allocF32(c);
      this.cap = c;
    }
    return this.ptr;
  }
}

@inline export function ldf(ptr: usize, i: i32): f32 { return load<f32>(ptr + (<usize>i << 2)); }
@inline export function stf(ptr: usize, i: i32, v: f32): void { store<f32>(ptr + (<usize>i << 2), v); }
@inline export function ldi(ptr: usize, i: i32): i32 { return load<i32>(ptr + (<usize>i << 2)); }
@inline export function sti(ptr: usize, i: i32, v: i32): void { store<i32>(ptr + (<usize>i << 2), v); }
@inline export function ldv(ptr: usize, i: i32): v128 { return v128.load(ptr + (<usize>i << 2)); }
@inline export function stv(ptr: usize, i: i32, v: v128): void { v128.store(ptr + (<usize>i << 2), v); }
