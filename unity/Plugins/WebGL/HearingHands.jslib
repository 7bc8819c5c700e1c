// Hearing Hands for Unity WebGL: the C-style API that unity/Runtime/HearingHandsNative.cs imports with
// [DllImport("__Internal")]. Emscripten copies each function below into the player's JavaScript (so they may use
// only their arguments, Emscripten's runtime — HEAPF32, UTF8ToString, SendMessage — and the `$` dependencies they
// name). The work is done by the runtime bundle next to this file (hearing-hands-runtime.jspre, global
// HearingHandsRuntime); this file only turns pointers into heap offsets and strings.
//
// Return codes (HearingHandsRuntime.BridgeResult): 1 ok, 0 not delivered (starting/failed/time did not increase),
// -1 unknown handle, -2 wrong float count, -3 unsupported. Nothing here throws into Unity.
var HearingHandsPlugin = {
  $HearingHandsState: { bridge: null },

  // The one bridge of this player, made on first use (the .jspre has run by then); SendMessage is Unity's.
  $hearingHandsBridge__deps: ['$HearingHandsState'],
  $hearingHandsBridge: function () {
    if (!HearingHandsState.bridge) {
      HearingHandsState.bridge = HearingHandsRuntime.createUnityBridge(function (gameObject, method, payload) {
        SendMessage(gameObject, method, payload);
      });
    }
    return HearingHandsState.bridge;
  },

  // int HearingHands_Create(string optionsJson, string gameObjectName): handle > 0, or 0 (options unreadable;
  // reported to the GameObject). Ready/failed arrive later through SendMessage.
  HearingHands_Create__deps: ['$hearingHandsBridge'],
  HearingHands_Create: function (optionsJson, gameObjectName) {
    return hearingHandsBridge().create(UTF8ToString(optionsJson), UTF8ToString(gameObjectName));
  },

  // int HearingHands_Dispose(int handle)
  HearingHands_Dispose__deps: ['$hearingHandsBridge'],
  HearingHands_Dispose: function (handle) {
    return hearingHandsBridge().dispose(handle);
  },

  // int HearingHands_PushFrame(int handle, float* keypoints, int count, int validMask): count = 126
  // (2 hands × 21 keypoints × xyz, module frame); validMask bit 0 left, bit 1 right. Read in place from HEAPF32.
  HearingHands_PushFrame__deps: ['$hearingHandsBridge'],
  HearingHands_PushFrame: function (handle, keypoints, count, validMask) {
    return hearingHandsBridge().pushFrame(handle, HEAPF32, keypoints >> 2, count, validMask);
  },

  // int HearingHands_SetListenerPose(int handle, float* pose, int count): count = 9 (position, forward, up).
  HearingHands_SetListenerPose__deps: ['$hearingHandsBridge'],
  HearingHands_SetListenerPose: function (handle, pose, count) {
    return hearingHandsBridge().setListenerPose(handle, HEAPF32, pose >> 2, count);
  },

  // int HearingHands_SetMaterial(int handle, string material)
  HearingHands_SetMaterial__deps: ['$hearingHandsBridge'],
  HearingHands_SetMaterial: function (handle, material) {
    return hearingHandsBridge().setMaterial(handle, UTF8ToString(material));
  },

  // int HearingHands_GetStats(int handle, float* out, int capacity): writes min(capacity, 13) floats in the order
  // of HearingHandsStat (C#) / UNITY_STATS_FIELDS (TS); returns how many.
  HearingHands_GetStats__deps: ['$hearingHandsBridge'],
  HearingHands_GetStats: function (handle, out, capacity) {
    return hearingHandsBridge().getStats(handle, HEAPF32, out >> 2, capacity);
  },
};

mergeInto(LibraryManager.library, HearingHandsPlugin);
