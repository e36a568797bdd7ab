/// Builds destinations from their configuration entries. Adding a platform
/// means one line in `factories`.
public enum DestinationRegistry {
    /// Makes a destination from its validated settings.
    typealias Factory = @Sendable (DestinationSettings) throws(DestinationConfigError) -> any Destination

    /// One line per kind, in the order `kinds` lists them.
    static let factories: [(kind: String, make: Factory)] = [
        ("meta", { settings throws(DestinationConfigError) in try MetaDestination(settings) }),
        ("webhook", { settings throws(DestinationConfigError) in try WebhookDestination(settings) }),
        ("sandbox", { settings throws(DestinationConfigError) in try SandboxDestination(settings) }),
        ("google", { settings throws(DestinationConfigError) in try GoogleDestination(settings) }),
        ("google_ads", { settings throws(DestinationConfigError) in try GoogleAdsDestination(settings) }),
        ("tiktok", { settings throws(DestinationConfigError) in try TikTokDestination(settings) }),
        ("snapchat", { settings throws(DestinationConfigError) in try SnapDestination(settings) }),
        ("pinterest", { settings throws(DestinationConfigError) in try PinterestDestination(settings) }),
        ("reddit", { settings throws(DestinationConfigError) in try RedditDestination(settings) }),
        ("linkedin", { settings throws(DestinationConfigError) in try LinkedInDestination(settings) }),
        ("ga4", { settings throws(DestinationConfigError) in try GA4Destination(settings) }),
    ]

    /// The kinds `make` accepts.
    public static let kinds: [String] = factories.map(\.kind)

    /// Keys of a kind whose configured value may be the path of a file (a
    /// service-account key): the configuration loader replaces such a path by
    /// the file's text before `make`, so destinations read no files. A value
    /// starting with `{` is the file's text already.
    static let fileKeys: [String: [String]] = ["google": GoogleCredentials.fileKeys, "google_ads": GoogleCredentials.fileKeys]

    /// The keys of `kind` that may name a file (see `fileKeys`); empty for
    /// most kinds.
    public static func fileKeys(kind: String) -> [String] { fileKeys[kind] ?? [] }

    /// The destination configured by `settings`.
    /// - Throws: `DestinationConfigError` for an unknown kind (listing the
    ///   known ones), a missing or invalid key, or a key the kind does not read.
    public static func make(_ settings: DestinationSettings) throws(DestinationConfigError) -> any Destination {
        guard let factory = factories.first(where: { $0.kind == settings.kind }) else {
            throw DestinationConfigError(
                code: .unknownKind, destination: settings.name, keyPath: "kind",
                message: "unknown destination kind; known kinds: \(kinds.joined(separator: ", "))")
        }
        return try factory.make(settings)
    }
}
