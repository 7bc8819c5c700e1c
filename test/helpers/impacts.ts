/**
 * Test signals for attack timing: `count` single decaying impacts (random onset, decay and pitch from a fixed-seed LCG),
 * each in its own 20 000-sample clip, optionally over a quiet floor in the first 8 000 samples, as recordings have.
 */
export function* decayingImpacts(seed: number, count: number, floorAmplitude = 0): Generator<{ x: Float32Array; at: number }> {
  let state = seed;
  const rnd = () => { state = (state * 1103515245 + 12345) >>> 0; return state / 2 ** 32; };
  for (let trial = 0; trial < count; trial++) {
    const at = 4000 + Math.floor(rnd() * 8000);
    const decay = 150 + rnd() * 1500, w = 0.1 + rnd() * 1.5;
    const x = new Float32Array(20000);
    if (floorAmplitude > 0) for (let i = 0; i < 8000; i++) x[i] = floorAmplitude * Math.sin(i * 1.3 + i * i * 1e-5);
    for (let i = 0; i < 6000 && at + i < x.length; i++) x[at + i]! += 0.5 * Math.exp(-i / decay) * Math.sin(i * w);
    yield { x, at };
  }
}
