// Hand sounds from Unity XR Hands in a WebGL build: one instance of the web runtime per component, fed every
// rendered frame with both hands (26 joints each → 21 keypoints, module frame) and the listener's pose. The web
// side stamps each frame with the page clock, the clock WebXR poses are on. Outside WebGL players it does nothing.
//
// Put it on a GameObject with a unique name: the plugin answers through SendMessage(name, …).
using System;
using System.Collections.Generic;
using UnityEngine;
using UnityEngine.XR.Hands;

namespace HearingHands.Unity
{
    [DisallowMultipleComponent]
    [AddComponentMenu("Hearing Hands/Hearing Hands (XR Hands)")]
    public sealed class HearingHandsXRHands : MonoBehaviour
    {
        [SerializeField] HearingHandsOptions options = new HearingHandsOptions();

        [Tooltip("The XR Origin's tracking space: XR Hands gives joint poses relative to it. Empty: poses are used as they are (origin at the world origin).")]
        [SerializeField] Transform trackingOrigin;

        [Tooltip("The listener (the user's head). Empty: the main camera.")]
        [SerializeField] Transform listener;

        /// <summary>The runtime runs; the argument is its generator ("procedural" or "model").</summary>
        public event Action<string> Ready;
        /// <summary>The runtime moved to another backend (e.g. WebGPU lost → wasm): the new one and why.</summary>
        public event Action<string, string> BackendChanged;
        /// <summary>A problem the runtime reported: a stable code (INVALID_ARGUMENT, BACKEND_UNAVAILABLE, …) and a sentence.</summary>
        public event Action<string, string> Failed;

        /// <summary>The plugin's handle of this instance (0: none: not a WebGL player, or it could not start).</summary>
        public int Handle { get { return handle; } }

        readonly float[] frame = new float[HearingHandsNative.FrameFloats];
        readonly float[] pose = new float[HearingHandsNative.PoseFloats];
        readonly float[] stats = new float[(int)HearingHandsStat.Count];
        readonly Vector3[] joints = new Vector3[HandKeypointMap.UnityJoints];
        static readonly List<XRHandSubsystem> subsystems = new List<XRHandSubsystem>();
        XRHandSubsystem subsystem;
        bool sawBeforeRender;
        int handle;

        void OnEnable()
        {
            if (!HearingHandsNative.Available)
            {
                Debug.Log("Hearing Hands plays only in WebGL players; this component does nothing here.", this);
                return;
            }
            handle = HearingHandsNative.HearingHands_Create(JsonUtility.ToJson(options), gameObject.name);
        }

        void OnDisable()
        {
            Unsubscribe();
            if (handle != 0) HearingHandsNative.HearingHands_Dispose(handle);
            handle = 0;
        }

        void Update()
        {
            if (handle == 0 || (subsystem != null && subsystem.running)) return;
            Unsubscribe();
            SubsystemManager.GetSubsystems(subsystems);
            foreach (XRHandSubsystem s in subsystems)
            {
                if (!s.running) continue;
                subsystem = s;
                subsystem.updatedHands += OnUpdatedHands;
                break;
            }
        }

        void Unsubscribe()
        {
            if (subsystem != null) subsystem.updatedHands -= OnUpdatedHands;
            subsystem = null;
        }

        void OnUpdatedHands(XRHandSubsystem hands, XRHandSubsystem.UpdateSuccessFlags flags, XRHandSubsystem.UpdateType type)
        {
            // One frame per rendered frame, with the freshest poses: BeforeRender (it follows the Dynamic update) once
            // the provider has shown it sends those, Dynamic until then (a provider may send only Dynamic updates).
            if (handle == 0) return;
            if (type == XRHandSubsystem.UpdateType.BeforeRender) sawBeforeRender = true;
            else if (sawBeforeRender) return;
            int valid = 0;
            if (ReadHand(hands.leftHand, 0)) valid |= HearingHandsNative.ValidLeft;
            if (ReadHand(hands.rightHand, 1)) valid |= HearingHandsNative.ValidRight;
            HearingHandsNative.HearingHands_PushFrame(handle, frame, frame.Length, valid);

            Transform head = listener != null ? listener : (Camera.main != null ? Camera.main.transform : null);
            if (head != null)
            {
                ModuleFrame.WritePose(head.position, head.rotation, pose, 0);
                HearingHandsNative.HearingHands_SetListenerPose(handle, pose, pose.Length);
            }
        }

        /// <summary>Reads one hand into the frame; false (and the web side zeroes it) when it is not fully tracked.</summary>
        bool ReadHand(XRHand hand, int index)
        {
            if (!hand.isTracked) return false;
            for (int i = 0; i < HandKeypointMap.UnityJoints; i++)
            {
                Pose p;
                if (!hand.GetJoint(XRHandJointIDUtility.FromIndex(i)).TryGetPose(out p)) return false;
                joints[i] = trackingOrigin != null ? trackingOrigin.TransformPoint(p.position) : p.position;
            }
            HandKeypointMap.FillHand(joints, frame, index);
            return true;
        }

        /// <summary>One statistic of the running instance (NaN when there is none).</summary>
        public float GetStat(HearingHandsStat stat)
        {
            if (handle == 0) return float.NaN;
            int n = HearingHandsNative.HearingHands_GetStats(handle, stats, stats.Length);
            return (int)stat < n ? stats[(int)stat] : float.NaN;
        }

        /// <summary>Changes the touched material (the runtime may answer Unsupported: then recreate with new options).</summary>
        public int SetMaterial(string material)
        {
            options.material = material;
            return handle == 0 ? HearingHandsResult.UnknownHandle : HearingHandsNative.HearingHands_SetMaterial(handle, material);
        }

        // SendMessage targets (HearingHandsNative.*Callback); each carries one JSON string.
        void OnHearingHandsReady(string json)
        {
            HearingHandsMessage m = JsonUtility.FromJson<HearingHandsMessage>(json);
            if (m.handle != handle) return;
            if (Ready != null) Ready(m.generator);
        }

        void OnHearingHandsError(string json)
        {
            HearingHandsMessage m = JsonUtility.FromJson<HearingHandsMessage>(json);
            if (m.handle != handle && m.handle != 0) return;
            Debug.LogWarning("Hearing Hands: " + m.code + ": " + m.message, this);
            if (Failed != null) Failed(m.code, m.message);
        }

        void OnHearingHandsBackend(string json)
        {
            HearingHandsMessage m = JsonUtility.FromJson<HearingHandsMessage>(json);
            if (m.handle != handle) return;
            Debug.Log("Hearing Hands: now on " + m.backend + " (" + m.reason + ")", this);
            if (BackendChanged != null) BackendChanged(m.backend, m.reason);
        }

        void OnHearingHandsEvent(string json)
        {
            Debug.Log("Hearing Hands: " + json, this);
        }
    }
}
