/** Hand input: WebXR/Unity/HaMeR/trajectory files → HandFrame (2 × 21 × xyz) → HandRing → 30 Hz. */
export * from './joints.js';
export * from './hand-frame.js';
export * from './remap.js';
export * from './hand-ring.js';
export * from './resampler.js';
export * from './registration.js';
export * from './trajectory.js';
export * from './trajectory-json.js';
export * from './trajectory-binary.js';
export * from './npy-keypoints.js';
export * from './source.js';
export * from './sources/trajectory-source.js';
export * from './sources/babylon-hand-source.js';
export * from './sources/unity-hand-source.js';
