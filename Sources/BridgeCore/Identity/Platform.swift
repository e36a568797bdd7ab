/// The ad platforms whose identifier rules the bridge implements. Raw values
/// are the destination kinds of the configuration (`kind: meta`).
public enum Platform: String, Sendable, CaseIterable, Codable, Hashable {
    case meta
    case google
    case tiktok
    case snapchat
    case pinterest
    case linkedin
    case reddit
    case ga4
}
