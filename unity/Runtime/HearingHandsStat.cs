// The stats block that HearingHands_GetStats writes (UNITY_STATS_FIELDS in src/unity/unity-abi.ts).
namespace HearingHands.Unity
{
    /// <summary>Index of each float that HearingHands_GetStats writes.</summary>
    public enum HearingHandsStat
    {
        State = 0,              // 0 starting, 1 ready, 2 failed, 3 disposed
        Generator = 1,          // 0 starting, 1 procedural, 2 model
        Backend = 2,            // 0 starting, 1 procedural, 2 wasm, 3 webgpu
        Steps = 3,
        Chunks = 4,
        RefusedChunks = 5,
        LastStepMs = 6,
        Underruns = 7,
        LateChunks = 8,
        DroppedHandFrames = 9,
        FramesDelivered = 10,
        NonFiniteHands = 11,
        OutputLatencySec = 12,
        Count = 13,
    }
}
