// Return codes of the plugin calls (BridgeResult in src/unity/unity-abi.ts).
namespace HearingHands.Unity
{
    /// <summary>Return codes of the plugin calls.</summary>
    public static class HearingHandsResult
    {
        public const int Ok = 1;
        /// <summary>Not delivered: still starting, failed, or the frame's time did not increase.</summary>
        public const int NotDelivered = 0;
        public const int UnknownHandle = -1;
        public const int BadLength = -2;
        public const int Unsupported = -3;
    }
}
