/// What the prepare stage stores for one event and one destination
/// (`deliveries.payload`): the consent decision and the customer identifiers
/// as that platform takes them (SHA-256 digests, or why they were dropped;
/// values the platform takes normalized but unhashed live in the event's
/// sealed `EventSendContext` under `contextKey`). Together with the event's
/// clear part and that context (shared by all its deliveries) it is
/// everything the destination needs to build its request at send time; the
/// platform's JSON is never stored and never re-parsed, and nothing personal
/// is stored outside a sealed blob but digests.
///
/// Binary, after the format byte `0x02`: consent action (0 send, 1 limited,
/// 2 suppress), reason, restricted-processing and attribution-only flags,
/// ad_user_data and ad_personalization (0 unknown, 1 granted, 2 denied),
/// country?, state?, context key; then customer fields (count; name, kind,
/// value) where kind 0 is a SHA-256 digest (32 raw bytes), 2 a drop reason,
/// 3 a hashed value that is not 64 hex characters (kept as text), 4 a clear
/// value kept in the sealed context (no value here).
/// Rows of the previous format hold the platform's JSON item (`{`), read
/// by the pipeline's legacy path.
public struct PreparedDeliveryRecord: Sendable, Equatable {
    public var consent: ConsentDecision
    /// Each customer field the event had (or enrichment added), prepared for
    /// the platform; clear values are blanks filled from the context.
    public var customer: [CustomerField: PreparedField]
    /// Where this delivery's clear customer values are in the event's
    /// `EventSendContext` (`EventSendContext.key(platform:region:)`).
    public var contextKey: String

    public init(consent: ConsentDecision, customer: [CustomerField: PreparedField], contextKey: String) {
        self.consent = consent
        self.customer = customer
        self.contextKey = contextKey
    }

    /// The format byte.
    public static let format: UInt8 = 2

    /// Whether `payload` is a record of this format (else a legacy JSON item).
    public static func isRecord(_ payload: [UInt8]) -> Bool { payload.first == format }

    public var bytes: [UInt8] {
        var writer = BinaryWriter(format: Self.format, capacity: 64 + customer.count * 40)
        switch consent.action {
        case .send: writer.byte(0)
        case .sendLimited: writer.byte(1)
        case .suppress: writer.byte(2)
        }
        writer.string(consent.reason.rawValue)
        let limits = consent.limitedDataUse
        writer.bool(limits.restrictedProcessing)
        writer.bool(limits.attributionOnly)
        writer.grant(limits.adUserData)
        writer.grant(limits.adPersonalization)
        writer.optionalString(limits.country)
        writer.optionalString(limits.state)
        writer.string(contextKey)
        writer.unsigned(UInt64(customer.count))
        for (field, prepared) in customer.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            writer.string(field.rawValue)
            switch prepared {
            case .sent(let value) where value.isHashed:
                if let digest = HexText.bytes(ofSHA256: value.wireValue) {
                    writer.byte(0)
                    writer.data(digest)
                } else {
                    writer.byte(3)
                    writer.string(value.wireValue)
                }
            case .sent:
                // In clear: kept sealed in the event's context, never here.
                writer.byte(4)
            case .dropped(let reason):
                writer.byte(2)
                writer.string(reason.rawValue)
            }
        }
        return writer.bytes
    }

    /// Reads a record.
    /// - Throws: `StoredEventCodec.DecodingError` when it is damaged or of another format.
    public init(bytes: [UInt8]) throws(StoredEventCodec.DecodingError) {
        guard Self.isRecord(bytes) else { throw StoredEventCodec.DecodingError(reason: "not a prepared delivery record") }
        do {
            var reader = BinaryReader(bytes)
            let action: ConsentDecision.Action
            switch try reader.byte() {
            case 0: action = .send
            case 1: action = .sendLimited
            default: action = .suppress
            }
            let reasonText = try reader.string()
            guard let reason = ConsentReason(rawValue: reasonText) else {
                throw StoredEventCodec.DecodingError(reason: "unknown consent reason")
            }
            var limits = LimitedDataUse()
            limits.restrictedProcessing = try reader.bool()
            limits.attributionOnly = try reader.bool()
            limits.adUserData = try reader.grant()
            limits.adPersonalization = try reader.grant()
            limits.country = try reader.optionalString()
            limits.state = try reader.optionalString()
            let contextKey = try reader.string()
            var customer: [CustomerField: PreparedField] = [:]
            for _ in 0..<(try reader.count()) {
                let name = try reader.string()
                let prepared: PreparedField
                switch try reader.byte() {
                case 0: prepared = .sent(PreparedValue(wireValue: HexText.lowercase(try reader.data()), encoding: .sha256))
                case 1: prepared = .sent(PreparedValue(wireValue: try reader.string(), encoding: .clear))
                case 3: prepared = .sent(PreparedValue(wireValue: try reader.string(), encoding: .sha256))
                case 4: prepared = .sent(PreparedValue(wireValue: "", encoding: .clear))
                default: prepared = .dropped(DropReason(rawValue: try reader.string()) ?? .empty)
                }
                if let field = CustomerField(rawValue: name) { customer[field] = prepared }
            }
            self.init(consent: ConsentDecision(action: action, reason: reason, limitedDataUse: limits), customer: customer, contextKey: contextKey)
        } catch let error as StoredEventCodec.DecodingError {
            throw error
        } catch {
            throw StoredEventCodec.DecodingError(reason: "\(error)")
        }
    }

    /// The identifiers this record carries for `platform`: its digests, its
    /// clear values from `context` (a value missing there is left out), and
    /// the browser fields of the context as the platform takes them.
    public func identifiers(for platform: Platform, context: EventSendContext) -> PreparedIdentifiers {
        var identifiers = IdentifierPreparer.prepare(customer: CustomerIdentifiers(), client: context.client, for: platform, defaultRegion: nil)
        let clear = context.clearValues[contextKey] ?? [:]
        var fields: [CustomerField: PreparedField] = [:]
        for (field, prepared) in customer {
            if case .sent(let value) = prepared, !value.isHashed {
                fields[field] = clear[field].map { .sent(PreparedValue(wireValue: $0, encoding: .clear)) }
            } else {
                fields[field] = prepared
            }
        }
        identifiers.customer = fields
        return identifiers
    }
}
