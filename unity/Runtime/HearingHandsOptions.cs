// Options of an instance, sent once to HearingHands_Create as JsonUtility's JSON (read by src/unity/unity-options.ts:
// an empty string means "not set").
using System;
using UnityEngine;

namespace HearingHands.Unity
{
    [Serializable]
    public class HearingHandsOptions
    {
        [Tooltip("The touched material when the scene gives none (wood, metal, plastic, glass, ceramic, fabric, paper, cardboard, leather, stone, …)")]
        public string material = "wood";

        [Tooltip("Height of the touched surface in the scene (metres, Unity world Y)")]
        public float surfaceHeightM = 0f;

        [Tooltip("Audio made ahead of the sampler's next step (seconds): less is less latency, more survives a busy machine")]
        public float marginSec = 0.015f;

        [Tooltip("URL of a model manifest on this origin, e.g. StreamingAssets/hearing-hands/models/hh-flow-s-live-d2.json (empty: the procedural generator)")]
        public string modelUrl = "";

        [Tooltip("With a model: mel frames per tick, 1, 2 or 4 (16, 32 or 64 ms; 0: the model's own). Fewer: less to predict ahead, more work per second")]
        public int modelTickFrames = 0;

        [Tooltip("With a model: auto (WebGPU when there is an adapter, else wasm), webgpu, wasm or procedural (empty: auto)")]
        public string backend = "";

        [Tooltip("onnxruntime-web's files on this origin, e.g. StreamingAssets/hearing-hands/ort/ (empty: ort/ beside the page)")]
        public string ortUrl = "";

        [Tooltip("A model that cannot run: play the procedural baseline after an error (else the instance fails)")]
        public bool allowProceduralFallback = true;

        [Tooltip("With a model: the procedural strike for a contact the model left silent (too sudden for the hands it predicted)")]
        public bool onsetBackstop = true;

        [Tooltip("Where the page serves the sampler Worker / playback worklet (empty: the copies inside the plugin)")]
        public string workerUrl = "";
        public string workletUrl = "";
    }
}
