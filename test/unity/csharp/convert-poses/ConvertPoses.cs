// Runs the package's pure logic on poses given on stdin and prints what it would send to the plugin, for
// test/unity/csharp-mapping.test.ts to compare with the TypeScript reference (src/hand/remap.ts).
// stdin, one line each, floats separated by spaces:
//   left hand: 78 floats (26 joints × xyz, XR Hands order, Unity world) or "-"
//   right hand: the same
//   then any number of listener poses: position xyz, rotation quaternion xyzw
// stdout: the keypoint → joint table, the 126-float frame, then one 9-float listener pose per input pose.
using System;
using System.Globalization;
using System.Linq;
using HearingHands.Unity;
using UnityEngine;

static class ConvertPoses
{
    static float[] ReadFloats(string line)
    {
        return line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    }

    static string Line(float[] values)
    {
        return string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }

    static int Main()
    {
        var frame = new float[HearingHandsNative.FrameFloats];
        var joints = new Vector3[HandKeypointMap.UnityJoints];
        for (int hand = 0; hand < 2; hand++)
        {
            string line = Console.ReadLine();
            if (line == null || line.Trim() == "-") continue;
            float[] f = ReadFloats(line);
            for (int i = 0; i < joints.Length; i++) joints[i] = new Vector3(f[i * 3], f[i * 3 + 1], f[i * 3 + 2]);
            HandKeypointMap.FillHand(joints, frame, hand);
        }
        Console.WriteLine(string.Join(" ", HandKeypointMap.UnityJointOfKeypoint));
        Console.WriteLine(Line(frame));
        var pose = new float[HearingHandsNative.PoseFloats];
        string poseLine;
        while ((poseLine = Console.ReadLine()) != null)
        {
            if (poseLine.Trim() == "") continue;
            float[] l = ReadFloats(poseLine);
            ModuleFrame.WritePose(new Vector3(l[0], l[1], l[2]), new Quaternion(l[3], l[4], l[5], l[6]), pose, 0);
            Console.WriteLine(Line(pose));
        }
        return 0;
    }
}
