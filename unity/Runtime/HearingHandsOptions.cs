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

        [Tooltip("URL of a model manifest (empty: the procedural generator)")]
        public string modelUrl = "";

        [Tooltip("Where the page serves the sampler Worker / playback worklet (empty: the copies inside the plugin)")]
        public string workerUrl = "";
        public string workletUrl = "";
    }
}
