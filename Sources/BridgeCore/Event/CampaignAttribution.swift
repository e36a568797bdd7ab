/// Where the sale came from, as the landing URL's `utm_*` parameters say:
/// stored in clear with the event (it names campaigns, not people) and
/// reported by campaign and by source (`capi-bridge report --by campaign`).
/// A value longer than 256 characters or one that looks like an e-mail
/// address or a phone number (`PersonalText`: some mailing tools put the
/// subscriber's address into `utm_content`) is never kept.
public struct CampaignAttribution: Sendable, Hashable {
    /// The five UTM parameters, by their query and canonical names.
    public enum Field: String, Sendable, CaseIterable, Hashable {
        case source = "utm_source"
        case medium = "utm_medium"
        case campaign = "utm_campaign"
        case content = "utm_content"
        case term = "utm_term"
    }

    /// The longest value kept (the schema's limit).
    public static let maxLength = 256

    public private(set) var values: [Field: String]

    public init(_ values: [Field: String] = [:]) { self.values = values }

    public var isEmpty: Bool { values.isEmpty }

    public subscript(field: Field) -> String? { values[field] }

    /// Sets `field` unless it is set already or `value` is blank, too long or
    /// looks personal. White space around the value is trimmed.
    public mutating func fill(_ field: Field, with value: String?) {
        guard values[field] == nil, let value else { return }
        let trimmed = value.trimmingWhitespace()
        guard Self.isKeepable(trimmed) else { return }
        values[field] = trimmed
    }

    /// Fills what is still missing from the `utm_*` query parameters of
    /// `url` (a full URL or a path with a query); the first value of each wins.
    public mutating func fill(fromURL url: String?) {
        guard let url, url.containsBytes("utm_") else { return }
        for parameter in URLQuery.parameters(in: url) {
            if let field = Field(rawValue: parameter.name) { fill(field, with: parameter.value) }
        }
    }

    /// Non-blank, at most 256 characters, not personal-looking.
    public static func isKeepable(_ value: String) -> Bool {
        !value.isEmpty && value.unicodeScalars.count <= maxLength && !PersonalText.looksPersonal(value)
    }
}
