// Stand-ins for the parts of UnityEngine and Unity XR Hands (com.unity.xr.hands 1.x) that unity/Runtime uses, so
// that mcs can compile the package outside Unity and console programs can run it. Signatures follow Unity's; bodies
// do only what the tests need: Vector3/Quaternion maths is real, a test can register a hand subsystem and set its
// hands' joint poses, and the rest is inert.
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public struct Vector3
    {
        public float x, y, z;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
        public static Vector3 forward { get { return new Vector3(0, 0, 1); } }
        public static Vector3 up { get { return new Vector3(0, 1, 0); } }
        public static Vector3 operator +(Vector3 a, Vector3 b) { return new Vector3(a.x + b.x, a.y + b.y, a.z + b.z); }
    }

    public struct Quaternion
    {
        public float x, y, z, w;
        public Quaternion(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public static Quaternion identity { get { return new Quaternion(0, 0, 0, 1); } }

        public static Quaternion AngleAxis(float degrees, Vector3 axis)
        {
            double half = degrees * Math.PI / 360.0;
            double n = Math.Sqrt(axis.x * axis.x + axis.y * axis.y + axis.z * axis.z);
            double s = Math.Sin(half) / n;
            return new Quaternion((float)(axis.x * s), (float)(axis.y * s), (float)(axis.z * s), (float)Math.Cos(half));
        }

        // Unity's rotation of a vector (the same formula as UnityEngine.Quaternion's operator *).
        public static Vector3 operator *(Quaternion q, Vector3 v)
        {
            float x2 = q.x * 2f, y2 = q.y * 2f, z2 = q.z * 2f;
            float xx = q.x * x2, yy = q.y * y2, zz = q.z * z2, xy = q.x * y2, xz = q.x * z2, yz = q.y * z2;
            float wx = q.w * x2, wy = q.w * y2, wz = q.w * z2;
            return new Vector3(
                (1f - (yy + zz)) * v.x + (xy - wz) * v.y + (xz + wy) * v.z,
                (xy + wz) * v.x + (1f - (xx + zz)) * v.y + (yz - wx) * v.z,
                (xz - wy) * v.x + (yz + wx) * v.y + (1f - (xx + yy)) * v.z);
        }
    }

    public struct Pose
    {
        public Vector3 position;
        public Quaternion rotation;
        public Pose(Vector3 position, Quaternion rotation) { this.position = position; this.rotation = rotation; }
    }

    public class Object { public static implicit operator bool(Object o) { return o != null; } }
    public class GameObject : Object { public string name = ""; }
    public class Transform : Object
    {
        public Vector3 position;
        public Quaternion rotation = Quaternion.identity;
        public Vector3 TransformPoint(Vector3 p) { return rotation * p + position; }
    }
    public class Component : Object
    {
        public Transform transform = new Transform();
        public GameObject gameObject = new GameObject();
    }
    public class Behaviour : Component { public bool enabled = true; }
    public class MonoBehaviour : Behaviour { }
    public class Camera : Behaviour { public static Camera main; }

    public static class Debug
    {
        public static void Log(object message, Object context = null) { Console.Error.WriteLine(message); }
        public static void LogWarning(object message, Object context = null) { Console.Error.WriteLine(message); }
    }

    public static class JsonUtility
    {
        public static string ToJson(object o) { return "{}"; }
        public static T FromJson<T>(string json) where T : new() { return new T(); }
    }

    public interface ISubsystem { bool running { get; } }
    public static class SubsystemManager
    {
        /// <summary>Test side: the subsystems GetSubsystems finds.</summary>
        public static readonly List<ISubsystem> registered = new List<ISubsystem>();
        public static void GetSubsystems<T>(List<T> into) where T : ISubsystem
        {
            into.Clear();
            foreach (ISubsystem s in registered) if (s is T) into.Add((T)s);
        }
    }

    [AttributeUsage(AttributeTargets.Field)] public sealed class SerializeField : Attribute { }
    [AttributeUsage(AttributeTargets.Field)] public sealed class TooltipAttribute : Attribute { public TooltipAttribute(string tooltip) { } }
    [AttributeUsage(AttributeTargets.Class)] public sealed class DisallowMultipleComponent : Attribute { }
    [AttributeUsage(AttributeTargets.Class)] public sealed class AddComponentMenu : Attribute { public AddComponentMenu(string menu) { } }
}

namespace UnityEngine.XR.Hands
{
    public enum XRHandJointID
    {
        Invalid = 0, BeginMarker = 1,
        Wrist = 1, Palm = 2,
        ThumbMetacarpal = 3, ThumbProximal = 4, ThumbDistal = 5, ThumbTip = 6,
        IndexMetacarpal = 7, IndexProximal = 8, IndexIntermediate = 9, IndexDistal = 10, IndexTip = 11,
        MiddleMetacarpal = 12, MiddleProximal = 13, MiddleIntermediate = 14, MiddleDistal = 15, MiddleTip = 16,
        RingMetacarpal = 17, RingProximal = 18, RingIntermediate = 19, RingDistal = 20, RingTip = 21,
        LittleMetacarpal = 22, LittleProximal = 23, LittleIntermediate = 24, LittleDistal = 25, LittleTip = 26,
        EndMarker = 27,
    }

    public static class XRHandJointIDUtility
    {
        public static XRHandJointID FromIndex(int index) { return (XRHandJointID)(index + 1); }
        public static int ToIndex(this XRHandJointID id) { return (int)id - 1; }
    }

    public struct XRHandJoint
    {
        readonly bool tracked;
        readonly Pose pose;
        public XRHandJoint(bool tracked, Pose pose) { this.tracked = tracked; this.pose = pose; }
        public bool TryGetPose(out Pose pose) { pose = this.pose; return tracked; }
    }

    public struct XRHand
    {
        readonly bool tracked;
        readonly Pose[] poses;       // XRHandJointID order (index = id − 1); null: no pose at all
        readonly bool[] jointTracked;
        /// <summary>Test side: a hand with these joint poses (26, XR Origin space); jointTracked null = all.</summary>
        public XRHand(bool tracked, Pose[] poses, bool[] jointTracked = null) { this.tracked = tracked; this.poses = poses; this.jointTracked = jointTracked; }
        public bool isTracked { get { return tracked; } }
        public XRHandJoint GetJoint(XRHandJointID id)
        {
            int i = id.ToIndex();
            if (poses == null) return default(XRHandJoint);
            return new XRHandJoint(jointTracked == null || jointTracked[i], poses[i]);
        }
    }

    public class XRHandSubsystem : ISubsystem
    {
        [Flags] public enum UpdateSuccessFlags { None = 0, All = 0xff }
        public enum UpdateType { Dynamic, BeforeRender }
        /// <summary>Test side: state and hands, and Raise to send an update.</summary>
        public bool isRunning;
        public XRHand left, right;
        public bool running { get { return isRunning; } }
        public XRHand leftHand { get { return left; } }
        public XRHand rightHand { get { return right; } }
        public event Action<XRHandSubsystem, UpdateSuccessFlags, UpdateType> updatedHands;
        public int Subscribers { get { return updatedHands == null ? 0 : updatedHands.GetInvocationList().Length; } }
        public void Raise(UpdateType t) { if (updatedHands != null) updatedHands(this, UpdateSuccessFlags.All, t); }
    }
}
