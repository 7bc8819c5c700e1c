/**
 * Joint orders and the maps between them.
 *
 * The model's action (paper 3.1, DESIGN.md "Action") is 21 keypoints per hand in MANO/OpenPose order:
 * wrist, then thumb CMC/MCP/IP/tip, index MCP/PIP/DIP/tip, middle, ring, little (each MCP/PIP/DIP/tip).
 * WebXR reports 25 joints and Unity XR Hands 26; both map to 21 by dropping the four non-thumb
 * metacarpals (and Unity's palm). The thumb metacarpal joint sits at the thumb's CMC, so it becomes
 * MANO's thumb CMC keypoint.
 */

/** The 21 keypoints of one hand, in MANO/OpenPose (HaMeR) order. */
export const MANO_KEYPOINTS = [
  'wrist',
  'thumb-cmc', 'thumb-mcp', 'thumb-ip', 'thumb-tip',
  'index-mcp', 'index-pip', 'index-dip', 'index-tip',
  'middle-mcp', 'middle-pip', 'middle-dip', 'middle-tip',
  'ring-mcp', 'ring-pip', 'ring-dip', 'ring-tip',
  'little-mcp', 'little-pip', 'little-dip', 'little-tip',
] as const;
export type ManoKeypoint = (typeof MANO_KEYPOINTS)[number];

export const KEYPOINTS_PER_HAND = 21;
export const FLOATS_PER_HAND = KEYPOINTS_PER_HAND * 3; // 63
export const HANDS = 2;
export const FLOATS_PER_FRAME = HANDS * FLOATS_PER_HAND; // 126

/** The 25 joints of the WebXR Hand Input spec, in spec (and `XRHand` iteration) order. */
export const WEBXR_JOINTS = [
  'wrist',
  'thumb-metacarpal', 'thumb-phalanx-proximal', 'thumb-phalanx-distal', 'thumb-tip',
  'index-finger-metacarpal', 'index-finger-phalanx-proximal', 'index-finger-phalanx-intermediate',
  'index-finger-phalanx-distal', 'index-finger-tip',
  'middle-finger-metacarpal', 'middle-finger-phalanx-proximal', 'middle-finger-phalanx-intermediate',
  'middle-finger-phalanx-distal', 'middle-finger-tip',
  'ring-finger-metacarpal', 'ring-finger-phalanx-proximal', 'ring-finger-phalanx-intermediate',
  'ring-finger-phalanx-distal', 'ring-finger-tip',
  'pinky-finger-metacarpal', 'pinky-finger-phalanx-proximal', 'pinky-finger-phalanx-intermediate',
  'pinky-finger-phalanx-distal', 'pinky-finger-tip',
] as const;
export type WebXRJoint = (typeof WEBXR_JOINTS)[number];

/**
 * Unity XR Hands' `XRHandJointID` order (values 1…26; index here = id − 1): wrist, palm, then per finger
 * metacarpal/proximal/intermediate/distal/tip, the thumb having no intermediate.
 */
export const UNITY_XR_HANDS_JOINTS = [
  'Wrist', 'Palm',
  'ThumbMetacarpal', 'ThumbProximal', 'ThumbDistal', 'ThumbTip',
  'IndexMetacarpal', 'IndexProximal', 'IndexIntermediate', 'IndexDistal', 'IndexTip',
  'MiddleMetacarpal', 'MiddleProximal', 'MiddleIntermediate', 'MiddleDistal', 'MiddleTip',
  'RingMetacarpal', 'RingProximal', 'RingIntermediate', 'RingDistal', 'RingTip',
  'LittleMetacarpal', 'LittleProximal', 'LittleIntermediate', 'LittleDistal', 'LittleTip',
] as const;
export type UnityXRHandsJoint = (typeof UNITY_XR_HANDS_JOINTS)[number];

/** Which source joint feeds each MANO keypoint, by name (the readable form of the index maps below). */
export const MANO_FROM_WEBXR: Readonly<Record<ManoKeypoint, WebXRJoint>> = {
  'wrist': 'wrist',
  'thumb-cmc': 'thumb-metacarpal', 'thumb-mcp': 'thumb-phalanx-proximal',
  'thumb-ip': 'thumb-phalanx-distal', 'thumb-tip': 'thumb-tip',
  'index-mcp': 'index-finger-phalanx-proximal', 'index-pip': 'index-finger-phalanx-intermediate',
  'index-dip': 'index-finger-phalanx-distal', 'index-tip': 'index-finger-tip',
  'middle-mcp': 'middle-finger-phalanx-proximal', 'middle-pip': 'middle-finger-phalanx-intermediate',
  'middle-dip': 'middle-finger-phalanx-distal', 'middle-tip': 'middle-finger-tip',
  'ring-mcp': 'ring-finger-phalanx-proximal', 'ring-pip': 'ring-finger-phalanx-intermediate',
  'ring-dip': 'ring-finger-phalanx-distal', 'ring-tip': 'ring-finger-tip',
  'little-mcp': 'pinky-finger-phalanx-proximal', 'little-pip': 'pinky-finger-phalanx-intermediate',
  'little-dip': 'pinky-finger-phalanx-distal', 'little-tip': 'pinky-finger-tip',
};

export const MANO_FROM_UNITY: Readonly<Record<ManoKeypoint, UnityXRHandsJoint>> = {
  'wrist': 'Wrist',
  'thumb-cmc': 'ThumbMetacarpal', 'thumb-mcp': 'ThumbProximal', 'thumb-ip': 'ThumbDistal', 'thumb-tip': 'ThumbTip',
  'index-mcp': 'IndexProximal', 'index-pip': 'IndexIntermediate', 'index-dip': 'IndexDistal', 'index-tip': 'IndexTip',
  'middle-mcp': 'MiddleProximal', 'middle-pip': 'MiddleIntermediate', 'middle-dip': 'MiddleDistal', 'middle-tip': 'MiddleTip',
  'ring-mcp': 'RingProximal', 'ring-pip': 'RingIntermediate', 'ring-dip': 'RingDistal', 'ring-tip': 'RingTip',
  'little-mcp': 'LittleProximal', 'little-pip': 'LittleIntermediate', 'little-dip': 'LittleDistal', 'little-tip': 'LittleTip',
};

function indexMap<J extends string>(byName: Readonly<Record<ManoKeypoint, J>>, order: readonly J[]): Uint8Array {
  return Uint8Array.from(MANO_KEYPOINTS, (k) => order.indexOf(byName[k]));
}

/** `WEBXR_TO_MANO[k]` = index in WebXR's 25-joint order of MANO keypoint k. */
export const WEBXR_TO_MANO: Readonly<Uint8Array> = indexMap(MANO_FROM_WEBXR, WEBXR_JOINTS);
/** `UNITY_TO_MANO[k]` = index in Unity XR Hands' 26-joint order (XRHandJointID − 1) of MANO keypoint k. */
export const UNITY_TO_MANO: Readonly<Uint8Array> = indexMap(MANO_FROM_UNITY, UNITY_XR_HANDS_JOINTS);
