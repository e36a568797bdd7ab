/// The version of this build of capi-bridge: printed by `capi-bridge --version`,
/// logged by `serve` when it starts and exported on `/metrics` as
/// `capi_bridge_build_info{version="…"} 1`. Change it here and nowhere else.
public enum BridgeVersion {
    /// The semantic version of the release this source tree builds.
    public static let current = "0.14.0"
}
