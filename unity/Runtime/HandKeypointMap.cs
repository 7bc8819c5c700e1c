// Unity XR Hands' 26 joints → the model's 21 keypoints (MANO order: wrist, thumb CMC/MCP/IP/tip, then index,
// middle, ring, little MCP/PIP/DIP/tip): drop Palm and the four non-thumb metacarpals; the thumb metacarpal joint
// sits at the thumb's CMC (DESIGN.md, Contracts: Action). The same table as UNITY_TO_MANO in src/hand/joints.ts.
using UnityEngine;

namespace HearingHands.Unity
{
    public static class HandKeypointMap
    {
        public const int UnityJoints = 26;
        public const int Keypoints = 21;
        public const int FloatsPerHand = Keypoints * 3;

        /// <summary>
        /// For each MANO keypoint, the index of its joint in XR Hands' order (XRHandJointID − 1: Wrist 0, Palm 1,
        /// ThumbMetacarpal 2, …, LittleTip 25).
        /// </summary>
        public static readonly int[] UnityJointOfKeypoint =
        {
            0,                  // Wrist
            2, 3, 4, 5,         // ThumbMetacarpal (CMC), ThumbProximal (MCP), ThumbDistal (IP), ThumbTip
            7, 8, 9, 10,        // IndexProximal, IndexIntermediate, IndexDistal, IndexTip
            12, 13, 14, 15,     // Middle…
            17, 18, 19, 20,     // Ring…
            22, 23, 24, 25,     // Little…
        };

        /// <summary>
        /// Writes one hand (26 Unity world positions in XR Hands' order) as 21 module-frame keypoints into
        /// frame[hand × 63 …]: hand 0 is the left hand, 1 the right. No allocation.
        /// </summary>
        public static void FillHand(Vector3[] unityJoints, float[] frame, int hand)
        {
            int baseOffset = hand * FloatsPerHand;
            for (int k = 0; k < Keypoints; k++)
                ModuleFrame.Write(unityJoints[UnityJointOfKeypoint[k]], frame, baseOffset + k * 3);
        }
    }
}
