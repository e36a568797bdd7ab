/// Derives the click ids an event still lacks from what it already carries:
/// every click id in the landing URL's query, and Meta's `fbc` built from an
/// `fbclid` and the time it was seen. Pure.
///
/// The sources already read click ids from landing URLs, Shopify note
/// attributes and Stripe metadata at ingest; this is the same reading, for
/// what is still missing when the event reaches enrichment (an events-API
/// backend that sent only `client.landing_url`, or an `fbclid` without
/// `fbc`). Parameter names are case-sensitive, as the platforms are:
/// `gclid`, `gbraid`, `wbraid`, `ttclid`, `ScCid` (Snap), `epik`
/// (Pinterest), `rdt_cid` (Reddit), `li_fat_id`, `fbclid`.
public enum ClickIDDerivation {
    /// Longest click id kept (the sources' limit).
    public static let maxLength = 1024

    /// Meta's `fbc` built server-side: `fb.1.<creation time in ms>.<fbclid>`.
    ///
    /// Subdomain index `1` is what Meta asks for when the value is built on a
    /// server; the fbclid keeps its case (Meta: "case-sensitive, never
    /// lowercase it"). Returns `nil` for a blank or over-long fbclid, or one
    /// holding white space or control characters (a corrupt value would be
    /// sent in clear and match nothing).
    public static func fbc(fbclid: String, firstSeen: Timestamp) -> String? {
        guard let clean = usable(fbclid) else { return nil }
        return "fb.1.\(firstSeen.millisecondsSinceEpoch).\(clean)"
    }

    /// The click-id kind a URL query parameter stands for: the canonical
    /// names, plus Snapchat's `ScCid`.
    public static func kind(forParameter name: String) -> ClickIDKind? {
        if name == "ScCid" { return .sccid }
        return ClickIDKind(rawValue: name)
    }

    /// The click-id kind an attribute or metadata key stands for (Shopify
    /// `note_attributes`, Stripe `metadata`, WooCommerce order meta): a
    /// parameter name, optionally prefixed with `_` (`_fbc`, `_fbp`).
    public static func kind(forAttribute name: String) -> ClickIDKind? {
        kind(forParameter: name.hasPrefix("_") ? String(name.dropFirst()) : name)
    }

    /// The click ids in the query of `url` (a full URL or a path with a
    /// query), in order of appearance. Decoded as a browser's
    /// `URLSearchParams` decodes (`+` is a space, `%XX` a byte; invalid UTF-8
    /// drops the parameter); blank, over-long or malformed values are skipped.
    public static func clickIDs(inURL url: String) -> [(ClickIDKind, String)] {
        URLQuery.parameters(in: url).compactMap { parameter in
            guard let kind = kind(forParameter: parameter.name), let clean = usable(parameter.value) else { return nil }
            return (kind, clean)
        }
    }

    /// The click ids among named attributes (`[{name, value}]` pairs).
    public static func clickIDs(inAttributes attributes: [(name: String, value: String)]) -> [(ClickIDKind, String)] {
        attributes.compactMap { attribute in
            guard let kind = kind(forAttribute: attribute.name), let clean = usable(attribute.value) else { return nil }
            return (kind, clean)
        }
    }

    /// What enrichment can add to `client` without overwriting anything:
    /// click ids of the landing URL that `client` lacks (first value of each
    /// wins), then `fbc` from the `fbclid` (the event's own or the landing
    /// URL's) when no `fbc` is set, dated `eventTime` — the moment the bridge
    /// knows the click was seen by.
    public static func missing(in client: ClientContext, eventTime: Timestamp) -> [ClickIDKind: String] {
        var added: [ClickIDKind: String] = [:]
        if let url = client.landingURL?.rawValue {
            for (kind, value) in clickIDs(inURL: url) where client[clickID: kind] == nil && added[kind] == nil {
                added[kind] = value
            }
        }
        if client[clickID: .fbc] == nil, added[.fbc] == nil,
            let fbclid = client[clickID: .fbclid]?.rawValue ?? added[.fbclid],
            let fbc = fbc(fbclid: fbclid.trimmingWhitespace(), firstSeen: eventTime)
        {
            added[.fbc] = fbc
        }
        return added
    }

    /// `value` trimmed, or `nil` when blank, too long, or holding white
    /// space or control characters inside.
    static func usable(_ value: String) -> String? {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= maxLength else { return nil }
        for scalar in trimmed.unicodeScalars where scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
            return nil
        }
        return trimmed
    }
}
