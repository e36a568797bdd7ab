/// Reads canonical events straight from request bytes into `ConversionEvent`,
/// checking every constraint of the published schema
/// (`config/schema/conversion-event.schema.json`) while it reads: one pass,
/// no tree, no schema walk.
///
/// It is a recognizer of what is certainly valid. Whenever it meets anything
/// it does not decide itself (a repeated key, a `null` where the schema's
/// rules for it are subtle, a source signal, a value out of range, bad
/// JSON), it answers `nil` and the caller parses the tree and validates it
/// against the schema (`ConversionEvent.read(canonical:…)`), which gives the
/// precise error with its JSON pointer, or the event. Members the schema
/// does not declare are skipped and listed (`ReadEvents.ignored`), as the
/// schema path lists them; with `.refuse` (`strict: true`) the reader leaves
/// such an event to the schema path, which names each of them. So the
/// accepted events, the ignored pointers and the errors are exactly the
/// schema's; `CanonicalEventReaderTests` and the schema corpus
/// (`fixtures/schema-corpus/`) check that the two agree.
public enum CanonicalEventReader {
    /// The `$id` of the schema whose rules this reader checks.
    public static let schemaIdentifier = CanonicalEventSchema.compiled.identifier

    /// What the reader read: the events, and the pointers of the members it
    /// skipped because the schema does not declare them (sorted).
    public struct ReadEvents: Sendable, Equatable {
        public var events: [ConversionEvent]
        public var ignored: [JSONPointer]
    }

    /// The events of a `POST /v1/events` body (`{"events": [...]}`, at most
    /// `limit`), or `nil` when the body needs the tree path.
    public static func batch(
        _ body: [UInt8], source: String, limit: Int, unknownProperties: JSONSchema.UnknownProperties = .ignore
    ) -> ReadEvents? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer: buffer)
            guard scanner.consume(UInt8(ascii: "{")) else { return nil }
            var first = true
            var ok = true
            var events: [ConversionEvent]?
            var ignored = Ignored(policy: unknownProperties)
            var otherKeys: Set<String> = []
            while let key = scanner.nextKey(first: &first, ok: &ok) {
                guard key == "events" else {
                    // The body's own unknown members follow the same policy.
                    guard otherKeys.insert(key).inserted, ignored.skip(JSONPointer([key])), scanner.skipValue() else { return nil }
                    continue
                }
                guard events == nil, scanner.consume(UInt8(ascii: "[")) else { return nil }
                var list: [ConversionEvent] = []
                var firstElement = true
                while scanner.nextElement(first: &firstElement, ok: &ok) {
                    let at = JSONPointer(["events", String(list.count)])
                    guard list.count < limit, let event = read(&scanner, source: source, at: at, ignored: &ignored) else { return nil }
                    list.append(event)
                }
                guard ok, !list.isEmpty else { return nil }
                events = list
            }
            guard ok, scanner.atEnd(), let events else { return nil }
            return ReadEvents(events: events, ignored: ignored.sorted)
        }
    }

    /// One event object on its own (a file `capi-bridge events validate`
    /// reads), with pointers from the document's root; `nil` when it needs
    /// the tree path.
    public static func event(
        _ body: [UInt8], source: String, unknownProperties: JSONSchema.UnknownProperties = .ignore
    ) -> ReadEvents? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer: buffer)
            var ignored = Ignored(policy: unknownProperties)
            guard let event = read(&scanner, source: source, at: .root, ignored: &ignored), scanner.atEnd() else { return nil }
            return ReadEvents(events: [event], ignored: ignored.sorted)
        }
    }

    /// A Standard Webhooks body (`{"type", "timestamp", "data"}`): its type
    /// and, for a `conversion.*` type, the event in `data` (with the
    /// pointers it ignored); `nil` when the body needs the tree path.
    public static func envelope(
        _ body: [UInt8], source: String, unknownProperties: JSONSchema.UnknownProperties = .ignore
    ) -> (type: String, read: ReadEvents?)? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer: buffer)
            guard scanner.consume(UInt8(ascii: "{")) else { return nil }
            var first = true
            var ok = true
            var type: String?
            var event: ConversionEvent?
            var ignored = Ignored(policy: unknownProperties)
            var sawData = false
            while let key = scanner.nextKey(first: &first, ok: &ok) {
                switch key {
                case "type":
                    guard type == nil, let text = scanner.stringValue() else { return nil }
                    type = text
                case "data":
                    guard !sawData else { return nil }
                    sawData = true
                    // Read as an event; when it is not one the reader takes, skip
                    // it (another type's data is ignored; a conversion's falls back).
                    let start = scanner.index
                    event = read(&scanner, source: source, at: JSONPointer(["data"]), ignored: &ignored)
                    if event == nil {
                        scanner.index = start
                        ignored = Ignored(policy: unknownProperties)
                        guard scanner.skipValue() else { return nil }
                    }
                default:
                    // Envelope members other than type and data (timestamp, …) are not the event's.
                    guard scanner.skipValue() else { return nil }
                }
            }
            guard ok, scanner.atEnd(), let type else { return nil }
            guard type.hasPrefix("conversion.") else { return (type, nil) }
            guard let event else { return nil }
            return (type, ReadEvents(events: [event], ignored: ignored.sorted))
        }
    }

    /// The pointers skipped so far, under a policy: `skip` answers false
    /// under `.refuse` (the event goes to the schema path, which refuses it).
    struct Ignored {
        let policy: JSONSchema.UnknownProperties
        var pointers: [JSONPointer] = []
        /// The most pointers listed (the schema path's limit).
        static let limit = 100

        init(policy: JSONSchema.UnknownProperties) { self.policy = policy }

        mutating func skip(_ pointer: JSONPointer) -> Bool {
            guard policy == .ignore else { return false }
            if pointers.count < Self.limit { pointers.append(pointer) }
            return true
        }

        var sorted: [JSONPointer] { pointers.sorted { $0.description < $1.description } }
    }

    // MARK: - One event

    /// The members of an event object, by bit.
    private enum Member: Int {
        case eventID, eventName, eventTime, orderID, value, currency, lineItems, customer, client, consent, test
        case schemaVersion, attribution, customProperties

        static let names: [String: Member] = [
            "event_id": .eventID, "event_name": .eventName, "event_time": .eventTime, "order_id": .orderID, "value": .value,
            "currency": .currency, "line_items": .lineItems, "customer": .customer, "client": .client, "consent": .consent, "test": .test,
            "schema_version": .schemaVersion, "attribution": .attribution, "custom_properties": .customProperties,
        ]
    }

    /// Reads the event object at the scanner, or `nil` (see the type).
    static func read(_ scanner: inout JSONScanner, source: String, at pointer: JSONPointer, ignored: inout Ignored) -> ConversionEvent? {
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var seen: UInt32 = 0
        var unknown: Set<String> = []
        var first = true
        var ok = true
        var eventID: String?
        var name: EventName?
        var time: Timestamp?
        var orderID: String?
        var valueText: String?
        var currencyCode: String?
        var lines: [Line] = []
        var customer = CustomerIdentifiers()
        var client = ClientContext()
        var consent = ConsentSignals()
        var attribution = CampaignAttribution()
        var custom = CustomProperties()
        var isTest = false
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let member = Member.names[key] else {
                guard unknown.insert(key).inserted, ignored.skip(pointer.appending(key)), scanner.skipValue() else { return nil }
                continue
            }
            guard seen & (1 << member.rawValue) == 0 else { return nil }
            seen |= 1 << member.rawValue
            switch member {
            case .eventID:
                guard let text = scanner.stringValue(), !text.isEmpty, text.utf8.count <= 256,
                    text.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E })
                else { return nil }
                eventID = text
            case .eventName:
                guard let text = scanner.stringValue(), let parsed = EventName(rawValue: text) else { return nil }
                name = parsed
            case .eventTime:
                guard let text = scanner.stringValue(), isCanonicalTime(text), let parsed = Timestamp(rfc3339: text) else { return nil }
                time = parsed
            case .orderID:
                if scanner.consumeNull() { continue }
                guard let text = scanner.stringValue(), fits(text, 256) else { return nil }
                orderID = text
            case .value:
                guard let text = scanner.stringValue(), isDecimal(text, signed: false) else { return nil }
                valueText = text
            case .currency:
                guard let text = scanner.stringValue(), text.utf8.count == 3, text.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
                    return nil
                }
                currencyCode = text
            case .lineItems:
                if scanner.consumeNull() { continue }
                guard let read = readLines(&scanner, at: pointer.appending("line_items"), ignored: &ignored) else { return nil }
                lines = read
            case .customer:
                if scanner.consumeNull() { continue }
                guard readCustomer(&scanner, into: &customer, at: pointer.appending("customer"), ignored: &ignored) else { return nil }
            case .client:
                if scanner.consumeNull() { continue }
                guard readClient(&scanner, into: &client, at: pointer.appending("client"), ignored: &ignored) else { return nil }
            case .consent:
                if scanner.consumeNull() { continue }
                guard readConsent(&scanner, into: &consent, at: pointer.appending("consent"), ignored: &ignored) else { return nil }
            case .test:
                if scanner.consumeNull() { continue }
                guard let flag = scanner.boolValue() else { return nil }
                isTest = flag
            case .schemaVersion:
                if scanner.consumeNull() { continue }
                guard let text = scanner.numberText(), JSONDecimal(text)?.intValue == ConversionEvent.schemaVersion else { return nil }
            case .attribution:
                if scanner.consumeNull() { continue }
                guard readAttribution(&scanner, into: &attribution, at: pointer.appending("attribution"), ignored: &ignored) else { return nil }
            case .customProperties:
                if scanner.consumeNull() { continue }
                guard let read = readCustomProperties(&scanner) else { return nil }
                custom = read
            }
        }
        guard ok, let eventID, let name, let time else { return nil }
        // The schema's `if`/`then`: a value needs its currency.
        if valueText != nil, currencyCode == nil { return nil }
        var event = ConversionEvent(eventID: eventID, eventName: name, eventTime: time, source: source)
        event.orderID = orderID
        event.isTest = isTest
        // The currency's minor unit, as the schema's conditions on `currency` say.
        if let valueText {
            guard let money = try? ConversionEvent.money(valueText, currencyCode, at: .root) else { return nil }
            event.value = money
        } else if let currencyCode, Currency(code: currencyCode) == nil {
            return nil
        }
        let currency = event.value?.currency ?? currencyCode.flatMap(Currency.init(code:))
        event.lineItems.reserveCapacity(lines.count)
        for line in lines {
            var unitPrice: Money.Amount?
            if let priceText = line.price {
                unitPrice = Money.Amount(priceText)
                if let currency, let price = unitPrice, price.significantFractionDigits > max(currency.minorUnit, 2) { return nil }
            }
            event.lineItems.append(LineItem(id: line.id, name: line.name, quantity: line.quantity, unitPrice: unitPrice))
        }
        event.customer = customer
        event.client = client
        event.consent = consent
        attribution.fill(fromURL: client.landingURL?.rawValue)
        event.attribution = attribution
        event.customProperties = custom
        return event
    }

    /// At most `maximum` characters (Unicode scalars, as the schema counts them).
    static func fits(_ text: String, _ maximum: Int) -> Bool {
        text.utf8.count <= maximum || text.unicodeScalars.count <= maximum
    }

    /// `^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?$` (the minus only when `signed`).
    static func isDecimal(_ text: String, signed: Bool) -> Bool {
        var bytes = Array(text.utf8)[...]
        if signed, bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let integer = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !integer.isEmpty, integer.count <= 15, integer.count == 1 || integer.first != UInt8(ascii: "0") else { return false }
        let rest = bytes.dropFirst(integer.count)
        if rest.isEmpty { return true }
        let fraction = rest.dropFirst()
        return rest.first == UInt8(ascii: ".") && (1...4).contains(fraction.count) && fraction.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
