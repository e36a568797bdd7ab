/// The personal values an event's deliveries send in clear, sealed once per
/// event at prepare time and shared by all its deliveries
/// (`events.client_sealed`): the browser context (IP address, user agent,
/// landing URL, click and analytics ids, after enrichment) and the customer
/// fields some platform takes normalized but unhashed (LinkedIn's names,
/// Google's and TikTok's city, region, postal code and country), keyed by the
/// rules that normalized them (`key(platform:region:)`). A delivery's record
/// names its key; nothing personal is stored outside this sealed blob except
/// SHA-256 digests.
///
/// Binary, after the format byte `0x02`: the browser context as in
/// `StoredEventCodec.identifierBytes` (no customer part), then the clear
/// values (count; key, count; field, value).
public struct EventSendContext: Sendable, Equatable {
    public var client: ClientContext
    /// Normalized clear customer values per normalization key.
    public var clearValues: [String: [CustomerField: String]]

    public init(client: ClientContext = ClientContext(), clearValues: [String: [CustomerField: String]] = [:]) {
        self.client = client
        self.clearValues = clearValues
    }

    /// Nothing to seal.
    public var isEmpty: Bool { client.isEmpty && clearValues.values.allSatisfy(\.isEmpty) }

    /// The key of one platform's rules with one phone region.
    public static func key(platform: Platform, region: String?) -> String {
        "\(platform.rawValue)|\(region ?? "")"
    }

    public var bytes: [UInt8] {
        var bytes = StoredEventCodec.identifierBytes(customer: CustomerIdentifiers(), client: client)
        var writer = BinaryWriter(format: StoredEventCodec.format, capacity: 64)
        writer.unsigned(UInt64(clearValues.count))
        for (key, values) in clearValues.sorted(by: { $0.key < $1.key }) {
            writer.string(key)
            writer.unsigned(UInt64(values.count))
            for (field, value) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                writer.string(field.rawValue)
                writer.string(value)
            }
        }
        bytes.append(contentsOf: writer.bytes.dropFirst())
        return bytes
    }

    /// Reads a context; a blob holding only a browser context (no clear
    /// values part) reads with none.
    public init(bytes: [UInt8]) throws(StoredEventCodec.DecodingError) {
        let (_, client, rest) = try StoredEventCodec.identifiersAndRest(bytes)
        self.client = client
        self.clearValues = [:]
        guard let rest, !rest.isEmpty else { return }
        do {
            var reader = BinaryReader([StoredEventCodec.format] + rest)
            for _ in 0..<(try reader.count()) {
                let key = try reader.string()
                var values: [CustomerField: String] = [:]
                for _ in 0..<(try reader.count()) {
                    let name = try reader.string()
                    let value = try reader.string()
                    if let field = CustomerField(rawValue: name) { values[field] = value }
                }
                clearValues[key] = values
            }
        } catch {
            throw StoredEventCodec.DecodingError(reason: error.description)
        }
    }
}
