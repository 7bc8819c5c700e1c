// Stands in for unity/Runtime/HearingHandsNative.cs when the component is driven under mono: the same surface, each
// call printed on stdout for test/unity/csharp-mapping.test.ts (test/unity/abi.test.ts checks that its constants and
// signatures are the real file's).
using System;
using System.Globalization;
using System.Linq;

namespace HearingHands.Unity
{
    public static class HearingHandsNative
    {
        public const int FrameFloats = 126;
        public const int PoseFloats = 9;
        public const int ValidLeft = 1;
        public const int ValidRight = 2;
        public const int Handle = 7;

        public static bool Available { get { return true; } }

        static string Floats(float[] a, int n)
        {
            return string.Join(" ", a.Take(n).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        }

        public static int HearingHands_Create(string optionsJson, string gameObjectName)
        {
            Console.WriteLine("create " + gameObjectName + " " + optionsJson);
            return Handle;
        }
        public static int HearingHands_Dispose(int handle) { Console.WriteLine("dispose " + handle); return 1; }
        public static int HearingHands_PushFrame(int handle, float[] keypoints, int count, int validMask)
        {
            Console.WriteLine("push " + handle + " " + count + " " + validMask + " " + Floats(keypoints, count));
            return 1;
        }
        public static int HearingHands_SetListenerPose(int handle, float[] pose, int count)
        {
            Console.WriteLine("pose " + handle + " " + count + " " + Floats(pose, count));
            return 1;
        }
        public static int HearingHands_SetMaterial(int handle, string material) { Console.WriteLine("material " + handle + " " + material); return -3; }
        public static int HearingHands_GetStats(int handle, float[] stats, int capacity)
        {
            for (int i = 0; i < capacity; i++) stats[i] = i;
            return capacity;
        }
    }
}
