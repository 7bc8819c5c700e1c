/** Simulated capture and the procedural baseline: materials, hands, actions, scenes, contact, synthesis. */
export { MATERIALS, MATERIAL_NAMES, getMaterial, instantiateMaterial, modesFor, type MaterialSpec, type MaterialInstance, type Mode } from './materials.js';
export { renderMaterialView, textureColor } from './texture.js';
export { handKeypoints, KEYPOINT_COUNT, HAND_VALUES, type HandPose } from './hand-skeleton.js';
export { ACTION_NAMES, planAction, HandMotion, isActionName, type ActionName, type ActionPlan } from './actions.js';
export { generateScene, makeSurface, lookAt, type Scene, type Surface, type Camera } from './scene.js';
export { ContactTracker, handClearance, type ImpactEvent, type HandContact } from './contact.js';
export { ContactSoundEngine, PART_MECHANICS, type ContactPart } from './engine.js';
export { Room } from './room.js';
export { renderContactAudio, type RenderedAudio, type ContactSpan } from './render.js';
export { ProceduralBackend, renderFramesProcedural, type LiveHandFrame, type ProceduralBackendOptions } from './procedural-backend.js';
export { captureItem, videoCameras, type CapturedItem } from './capture.js';
export { visualFeatures, VISUAL_FEATURE_DIM } from './visual-features.js';
export { Rng } from './rng.js';
