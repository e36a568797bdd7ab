/// How the outbox stores an event: its clear part (`events.body`: no
/// personal data) and its identifiers (`events.sealed`, and the browser
/// context shared by its deliveries, `events.client_sealed`, both sealed) in
/// a compact binary form written once at ingest and read without a JSON
/// parser. Rows written before this format (canonical JSON, starting with
/// `{`) are still read.
///
/// Clear part, after the format byte `0x02`: event id, event name, event
/// time (ms, zigzag), test flag, order id?, value? (amount text, currency
/// code), line items (count; id, name?, quantity, unit price?), consent
/// (ad_user_data, ad_personalization: 0 unknown, 1 granted, 2 denied; gpc: 0
/// unknown, 1 false, 2 true; TCF?, US privacy?, GPP?; source signals: count,
/// key, value).
///
/// Identifiers, after `0x02`: customer fields (count; name, raw value), then
/// the browser context: IP?, user agent?, landing URL?, GA client id?, GA
/// session id?, click ids (count; kind, value).
public enum StoredEventCodec {
    /// The format byte of binary records.
    public static let format: UInt8 = 2

    /// Why a stored event could not be read back.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { "stored event unreadable: \(reason)" }
    }

    // MARK: - Clear part

    /// The clear part of `event`.
    public static func clearBytes(_ event: ConversionEvent) -> [UInt8] {
        var writer = BinaryWriter(format: format, capacity: 192 + event.lineItems.count * 48)
        writer.string(event.eventID)
        writer.string(event.eventName.rawValue)
        writer.signed(event.eventTime.millisecondsSinceEpoch)
        writer.bool(event.isTest)
        writer.optionalString(event.orderID)
        if let value = event.value {
            writer.byte(1)
            writer.string(value.formattedAmount)
            writer.string(value.currency.code)
        } else {
            writer.byte(0)
        }
        writer.unsigned(UInt64(event.lineItems.count))
        for item in event.lineItems {
            writer.string(item.id)
            writer.optionalString(item.name)
            writer.signed(Int64(item.quantity))
            writer.optionalString(item.unitPrice.map { $0.formatted(fractionDigits: max($0.reduced.scale, event.value?.currency.minorUnit ?? 2)) })
        }
        let consent = event.consent
        writer.grant(consent.adUserData)
        writer.grant(consent.adPersonalization)
        writer.byte(consent.gpc.map { $0 ? 2 : 1 } ?? 0)
        writer.optionalString(consent.tcfString)
        writer.optionalString(consent.usPrivacy)
        writer.optionalString(consent.gppString)
        writer.unsigned(UInt64(consent.sourceSignals.count))
        for (key, value) in consent.sourceSignals.sorted(by: { $0.key < $1.key }) {
            writer.string(key)
            writer.string(value)
        }
        return writer.bytes
    }

    /// The event of a stored clear part (no identifiers), either format.
    public static func event(clear bytes: [UInt8], source: String) throws(DecodingError) -> ConversionEvent {
        guard let first = bytes.first else { throw DecodingError(reason: "empty body") }
        if first == UInt8(ascii: "{") {
            guard let json = try? JSONParser.parse(bytes), let event = ConversionEvent.restore(clear: json, identifiers: nil, source: source) else {
                throw DecodingError(reason: "body is not a canonical event")
            }
            return event
        }
        guard first == format else { throw DecodingError(reason: "unknown format \(first)") }
        do {
            return try readClear(BinaryReader(bytes), source: source)
        } catch {
            throw DecodingError(reason: error.description)
        }
    }

    private static func readClear(_ reader: BinaryReader, source: String) throws(BinaryReader.Truncated) -> ConversionEvent {
        var reader = reader
        let eventID = try reader.string()
        let nameText = try reader.string()
        let time = Timestamp(millisecondsSinceEpoch: try reader.signed())
        // An unknown name cannot have been written by `clearBytes`: the record is damaged.
        guard let name = EventName(rawValue: nameText) else { throw BinaryReader.Truncated(offset: 1) }
        var event = ConversionEvent(eventID: eventID, eventName: name, eventTime: time, source: source)
        event.isTest = try reader.bool()
        event.orderID = try reader.optionalString()
        if try reader.byte() == 1 {
            let amount = try reader.string()
            let code = try reader.string()
            if let parsed = Money.Amount(amount), let currency = Currency(code: code) { event.value = Money(amount: parsed, currency: currency) }
        }
        let lines = try reader.count()
        event.lineItems.reserveCapacity(lines)
        for _ in 0..<lines {
            let id = try reader.string()
            let name = try reader.optionalString()
            let quantity = Int(clamping: try reader.signed())
            let price = try reader.optionalString().flatMap { Money.Amount($0) }
            event.lineItems.append(LineItem(id: id, name: name, quantity: quantity, unitPrice: price))
        }
        event.consent.adUserData = try reader.grant()
        event.consent.adPersonalization = try reader.grant()
        switch try reader.byte() {
        case 1: event.consent.gpc = false
        case 2: event.consent.gpc = true
        default: event.consent.gpc = nil
        }
        event.consent.tcfString = try reader.optionalString()
        event.consent.usPrivacy = try reader.optionalString()
        event.consent.gppString = try reader.optionalString()
        for _ in 0..<(try reader.count()) {
            let key = try reader.string()
            event.consent.sourceSignals[key] = try reader.string()
        }
        return event
    }

    // MARK: - Identifiers

    /// The personal part of an event (sealed before it is written): its
    /// customer identifiers and browser context. With an empty `customer`, the
    /// browser context alone (`events.client_sealed`).
    public static func identifierBytes(customer: CustomerIdentifiers, client: ClientContext) -> [UInt8] {
        var writer = BinaryWriter(format: format, capacity: 384)
        writer.unsigned(UInt64(customer.values.count))
        for (field, value) in customer.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            writer.string(field.rawValue)
            writer.string(value.rawValue)
        }
        writer.optionalString(client.ipAddress?.rawValue)
        writer.optionalString(client.userAgent?.rawValue)
        writer.optionalString(client.landingURL?.rawValue)
        writer.optionalString(client.gaClientID?.rawValue)
        writer.optionalString(client.gaSessionID?.rawValue)
        writer.unsigned(UInt64(client.clickIDs.count))
        for (kind, value) in client.clickIDs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            writer.string(kind.rawValue)
            writer.string(value.rawValue)
        }
        return writer.bytes
    }

    /// The identifiers of unsealed `bytes`, either format.
    public static func identifiers(_ bytes: [UInt8]) throws(DecodingError) -> (customer: CustomerIdentifiers, client: ClientContext) {
        let (customer, client, _) = try identifiersAndRest(bytes)
        return (customer, client)
    }

    /// The identifiers of unsealed `bytes` and, for the binary format, what
    /// follows them (`EventSendContext` appends its clear values there).
    static func identifiersAndRest(_ bytes: [UInt8]) throws(DecodingError) -> (CustomerIdentifiers, ClientContext, [UInt8]?) {
        guard let first = bytes.first else { throw DecodingError(reason: "empty identifiers") }
        if first == UInt8(ascii: "{") {
            guard let json = try? JSONParser.parse(bytes) else { throw DecodingError(reason: "identifiers are not JSON") }
            return (ConversionEvent.customer(from: json["customer"]), ConversionEvent.client(from: json["client"]), nil)
        }
        guard first == format else { throw DecodingError(reason: "unknown format \(first)") }
        do {
            var reader = BinaryReader(bytes)
            var customer = CustomerIdentifiers()
            for _ in 0..<(try reader.count()) {
                let name = try reader.string()
                let value = try reader.string()
                if let field = CustomerField(rawValue: name) { customer[field] = PersonalData(value) }
            }
            var client = ClientContext()
            client.ipAddress = try reader.optionalString().map { PersonalData($0) }
            client.userAgent = try reader.optionalString().map { PersonalData($0) }
            client.landingURL = try reader.optionalString().map { PersonalData($0) }
            client.gaClientID = try reader.optionalString().map { PersonalData($0) }
            client.gaSessionID = try reader.optionalString().map { PersonalData($0) }
            for _ in 0..<(try reader.count()) {
                let kind = try reader.string()
                let value = try reader.string()
                if let kind = ClickIDKind(rawValue: kind) { client[clickID: kind] = PersonalData(value) }
            }
            return (customer, client, Array(reader.remaining))
        } catch {
            throw DecodingError(reason: error.description)
        }
    }
}
