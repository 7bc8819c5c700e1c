// Drives the real HearingHandsXRHands component through a frame loop with stand-in XR Hands (UnityStandIns.cs) and a
// recording plugin (RecordingNative.cs): subsystem discovery, which updates push, tracking-origin transform, hand
// validity, listener pose, dispose. stdin: the right hand's 26 joint positions (78 floats, XR Origin space).
// stdout: the plugin calls (RecordingNative) and "subscribers N" checkpoints.
using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using HearingHands.Unity;
using UnityEngine;
using UnityEngine.XR.Hands;

static class DriveComponent
{
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
    static void Call(object o, string method) { o.GetType().GetMethod(method, Members).Invoke(o, null); }
    static void Set(object o, string field, object value) { o.GetType().GetField(field, Members).SetValue(o, value); }

    static int Main()
    {
        float[] f = Console.ReadLine().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var poses = new Pose[26];
        for (int i = 0; i < 26; i++) poses[i] = new Pose(new Vector3(f[i * 3], f[i * 3 + 1], f[i * 3 + 2]), Quaternion.identity);

        var hands = new XRHandSubsystem();
        SubsystemManager.registered.Add(hands);
        Camera.main = new Camera();
        Camera.main.transform.position = new Vector3(0f, 1.6f, 0f);
        var component = new HearingHandsXRHands();
        component.gameObject.name = "HandSounds";
        // The XR Origin stands at (0.5, 1, −2), turned to face Unity's −z.
        Set(component, "trackingOrigin", new Transform { position = new Vector3(0.5f, 1f, -2f), rotation = Quaternion.AngleAxis(180f, Vector3.up) });

        Call(component, "OnEnable");
        Call(component, "Update");                          // no running subsystem yet
        Console.WriteLine("subscribers " + hands.Subscribers);
        hands.isRunning = true;
        Call(component, "Update");
        Call(component, "Update");                          // found once, subscribed once
        Console.WriteLine("subscribers " + hands.Subscribers);

        hands.right = new XRHand(true, poses);
        hands.left = new XRHand(false, null);
        hands.Raise(XRHandSubsystem.UpdateType.Dynamic);      // pushes: no BeforeRender seen yet
        hands.Raise(XRHandSubsystem.UpdateType.BeforeRender); // pushes
        hands.Raise(XRHandSubsystem.UpdateType.Dynamic);      // silent from now on
        var oneJointLost = Enumerable.Repeat(true, 26).ToArray();
        oneJointLost[9] = false;
        hands.left = new XRHand(true, poses, oneJointLost);
        hands.Raise(XRHandSubsystem.UpdateType.BeforeRender); // left not fully tracked: right only
        hands.left = new XRHand(true, poses);
        hands.Raise(XRHandSubsystem.UpdateType.BeforeRender); // both hands
        Console.WriteLine("stat " + component.GetStat(HearingHandsStat.FramesDelivered).ToString(CultureInfo.InvariantCulture));

        Call(component, "OnDisable");
        Console.WriteLine("subscribers " + hands.Subscribers);
        hands.Raise(XRHandSubsystem.UpdateType.BeforeRender); // disposed: nothing
        return 0;
    }
}
