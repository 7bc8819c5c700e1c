// The JSON that the plugin sends to the GameObject (OnHearingHandsReady / OnHearingHandsError / OnHearingHandsEvent).
using System;

namespace HearingHands.Unity
{
    [Serializable]
    public class HearingHandsMessage
    {
        public int handle;
        /// <summary>Ready: "procedural" or "model".</summary>
        public string generator;
        /// <summary>Ready and backend changes: what generates now ("webgpu", "wasm", "procedural"); a backend change
        /// also says what it was before and why.</summary>
        public string backend;
        public string previous;
        public string reason;
        /// <summary>Errors: a stable code (INVALID_ARGUMENT, BACKEND_UNAVAILABLE, MODEL_LOAD, …) and a sentence.</summary>
        public string code;
        public string message;
        /// <summary>Other events: the runtime's event type.</summary>
        public string type;
    }
}
