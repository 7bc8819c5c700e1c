// Unity's world is left-handed (x right, y up, z forward); the module's frame is WebXR's right-handed one (x right,
// y up, z backward: the viewer looks down −z), in metres. Both share x and y, so converting a point or a direction
// negates z (docs/unity.md; the same rule as manoFromUnityPositions in src/hand/remap.ts).
using UnityEngine;

namespace HearingHands.Unity
{
    public static class ModuleFrame
    {
        /// <summary>Writes a Unity point or direction as module-frame xyz at dst[offset..offset+2].</summary>
        public static void Write(Vector3 unity, float[] dst, int offset)
        {
            dst[offset] = unity.x;
            dst[offset + 1] = unity.y;
            dst[offset + 2] = -unity.z;
        }

        /// <summary>A listener pose (position, forward, up: 9 floats) from a Unity position and rotation.</summary>
        public static void WritePose(Vector3 position, Quaternion rotation, float[] dst, int offset)
        {
            Write(position, dst, offset);
            Write(rotation * Vector3.forward, dst, offset + 3);
            Write(rotation * Vector3.up, dst, offset + 6);
        }
    }
}
