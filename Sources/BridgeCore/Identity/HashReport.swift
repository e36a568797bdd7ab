/// What `capi-bridge hash` shows support staff: for one identifier, per
/// platform, the normalized value and what would be sent (hash or clear),
/// or why it would be dropped. Pure: rendering only, no I/O.
///
/// The report contains the normalized value by design: it is the user's own
/// input, shown so they can see what a platform would match on.
public struct HashReport: Sendable, Equatable {
    /// One platform's outcome.
    public struct Row: Sendable, Equatable {
        /// The platform whose rules were applied.
        public let platform: Platform
        /// The normalized (pre-hash) value, or `nil` when dropped.
        public let normalized: String?
        /// The value on the wire (digest or clear text), or `nil` when dropped.
        public let wireValue: String?
        /// Hashed or clear, or `nil` when dropped.
        public let encoding: WireEncoding?
        /// Why the value is not sent, or `nil` when it is.
        public let dropReason: DropReason?
    }

    /// The customer field the value was read as.
    public let field: CustomerField
    /// The region used for phone numbers, states, ZIP codes and dates, if any.
    public let region: String?
    /// One row per requested platform, in the order requested.
    public let rows: [Row]

    /// Normalizes and encodes `value` as `field` for each of `platforms`.
    public init(field: CustomerField, value: String, platforms: [Platform], region: String?) {
        self.field = field
        self.region = region
        self.rows = platforms.map { platform in
            switch IdentifierNormalizer.normalize(field, value, for: platform, region: region) {
            case .dropped(let reason):
                return Row(platform: platform, normalized: nil, wireValue: nil, encoding: nil, dropReason: reason)
            case .value(let normalized):
                let prepared = IdentifierPreparer.prepare(field, value, for: platform, region: region).value
                return Row(
                    platform: platform, normalized: normalized, wireValue: prepared?.wireValue,
                    encoding: prepared?.encoding, dropReason: nil)
            }
        }
    }

    /// A plain-text table: `platform  normalized  sent as  value or reason`.
    public func text() -> String {
        let header = ["platform", "normalized", "sent as", "value / reason"]
        let cells = rows.map { row -> [String] in
            if let reason = row.dropReason {
                return [row.platform.rawValue, "-", "dropped", "\(reason.rawValue): \(reason.description)"]
            }
            return [row.platform.rawValue, row.normalized ?? "", row.encoding?.rawValue ?? "", row.wireValue ?? ""]
        }
        var widths = header.map(\.count)
        for line in cells {
            for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func render(_ line: [String]) -> String {
            line.enumerated().map { i, cell in
                i == line.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
        var out = "field: \(field.rawValue)" + (region.map { "  region: \($0)" } ?? "") + "\n"
        out += render(header) + "\n"
        out += render(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for line in cells { out += render(line) + "\n" }
        return out
    }

    /// The same content as compact JSON with sorted keys:
    /// `{"field":…,"region":…,"results":[{"platform":…,"status":"sent"|"dropped",…}]}`.
    public func json() -> String {
        let results: [JSONValue] = rows.map { row in
            var object: [String: JSONValue] = ["platform": .string(row.platform.rawValue)]
            if let reason = row.dropReason {
                object["status"] = .string("dropped")
                object["reason"] = .string(reason.rawValue)
                object["detail"] = .string(reason.description)
            } else {
                object["status"] = .string("sent")
                object["normalized"] = row.normalized.map(JSONValue.string) ?? .null
                object["encoding"] = row.encoding.map { .string($0.rawValue) } ?? .null
                object["value"] = row.wireValue.map(JSONValue.string) ?? .null
            }
            return .object(object)
        }
        return JSONWriter.string(.object([
            "field": .string(field.rawValue),
            "region": region.map(JSONValue.string) ?? .null,
            "results": .array(results),
        ]))
    }
}
