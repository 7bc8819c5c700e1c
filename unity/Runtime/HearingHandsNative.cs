// The plugin's C-style API (Plugins/WebGL/HearingHands.jslib) and the layout numbers it shares with the web side
// (src/unity/unity-abi.ts; test/unity checks that both agree). Outside WebGL players every call is a no-op that
// returns 0, so scenes using it still run in the Editor and on other platforms.
using System.Runtime.InteropServices;

namespace HearingHands.Unity
{
    public static class HearingHandsNative
    {
        /// <summary>Floats in one frame: 2 hands (left, right) × 21 MANO keypoints × xyz, module frame.</summary>
        public const int FrameFloats = 126;
        /// <summary>Listener pose: position xyz, forward xyz, up xyz (module frame).</summary>
        public const int PoseFloats = 9;
        public const int ValidLeft = 1;
        public const int ValidRight = 2;

        /// <summary>Methods on the GameObject that the plugin calls with SendMessage (one JSON string argument).</summary>
        public const string ReadyCallback = "OnHearingHandsReady";
        public const string ErrorCallback = "OnHearingHandsError";
        public const string BackendCallback = "OnHearingHandsBackend";
        public const string EventCallback = "OnHearingHandsEvent";

#if UNITY_WEBGL && !UNITY_EDITOR
        /// <summary>Whether this player has the plugin (WebGL players only).</summary>
        public static bool Available { get { return true; } }

        [DllImport("__Internal")] public static extern int HearingHands_Create(string optionsJson, string gameObjectName);
        [DllImport("__Internal")] public static extern int HearingHands_Dispose(int handle);
        [DllImport("__Internal")] public static extern int HearingHands_PushFrame(int handle, float[] keypoints, int count, int validMask);
        [DllImport("__Internal")] public static extern int HearingHands_SetListenerPose(int handle, float[] pose, int count);
        [DllImport("__Internal")] public static extern int HearingHands_SetMaterial(int handle, string material);
        [DllImport("__Internal")] public static extern int HearingHands_GetStats(int handle, float[] stats, int capacity);
#else
        public static bool Available { get { return false; } }

        public static int HearingHands_Create(string optionsJson, string gameObjectName) { return 0; }
        public static int HearingHands_Dispose(int handle) { return 0; }
        public static int HearingHands_PushFrame(int handle, float[] keypoints, int count, int validMask) { return 0; }
        public static int HearingHands_SetListenerPose(int handle, float[] pose, int count) { return 0; }
        public static int HearingHands_SetMaterial(int handle, string material) { return 0; }
        public static int HearingHands_GetStats(int handle, float[] stats, int capacity) { return 0; }
#endif
    }
}
