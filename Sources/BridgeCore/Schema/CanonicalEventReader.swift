/// Reads canonical events straight from request bytes into `ConversionEvent`,
/// checking every constraint of the published schema
/// (`config/schema/conversion-event.schema.json`) while it reads: one pass,
/// no tree, no schema walk.
///
/// It is a recognizer of what is certainly valid. Whenever it meets anything
/// it does not decide itself (an unknown or repeated key, a `null` where the
/// schema's rules for it are subtle, a source signal, a value out of range,
/// bad JSON), it answers `nil` and the caller parses the tree and validates
/// it against the schema (`ConversionEvent.decode(canonical:…)`), which gives
/// the precise error with its JSON pointer, or the event. So the accepted
/// events and the errors are exactly the schema's; `CanonicalEventReaderTests`
/// checks that the two agree over a corpus of valid and invalid events.
public enum CanonicalEventReader {
    /// The `$id` of the schema whose rules this reader checks.
    public static let schemaIdentifier = CanonicalEventSchema.compiled.identifier
    /// The events of a `POST /v1/events` body (`{"events": [...]}`, at most
    /// `limit`), or `nil` when the body needs the tree path.
    public static func batch(_ body: [UInt8], source: String, limit: Int) -> [ConversionEvent]? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer: buffer)
            guard scanner.consume(UInt8(ascii: "{")) else { return nil }
            var first = true
            var ok = true
            var events: [ConversionEvent]?
            while let key = scanner.nextKey(first: &first, ok: &ok) {
                guard key == "events", events == nil, scanner.consume(UInt8(ascii: "[")) else { return nil }
                var list: [ConversionEvent] = []
                var firstElement = true
                while scanner.nextElement(first: &firstElement, ok: &ok) {
                    guard list.count < limit, let event = read(&scanner, source: source) else { return nil }
                    list.append(event)
                }
                guard ok, !list.isEmpty else { return nil }
                events = list
            }
            guard ok, scanner.atEnd() else { return nil }
            return events
        }
    }

    /// A Standard Webhooks body (`{"type", "timestamp", "data"}`): its type
    /// and, for a `conversion.*` type, the event in `data`; `nil` when the
    /// body needs the tree path.
    public static func envelope(_ body: [UInt8], source: String) -> (type: String, event: ConversionEvent?)? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer: buffer)
            guard scanner.consume(UInt8(ascii: "{")) else { return nil }
            var first = true
            var ok = true
            var type: String?
            var event: ConversionEvent?
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
                    event = read(&scanner, source: source)
                    if event == nil {
                        scanner.index = start
                        guard scanner.skipValue() else { return nil }
                    }
                default:
                    guard scanner.skipValue() else { return nil }
                }
            }
            guard ok, scanner.atEnd(), let type else { return nil }
            guard type.hasPrefix("conversion.") else { return (type, nil) }
            guard let event else { return nil }
            return (type, event)
        }
    }

    // MARK: - One event

    /// The members of an event object, by bit.
    private enum Member: Int {
        case eventID, eventName, eventTime, orderID, value, currency, lineItems, customer, client, consent, test

        static let names: [String: Member] = [
            "event_id": .eventID, "event_name": .eventName, "event_time": .eventTime, "order_id": .orderID, "value": .value,
            "currency": .currency, "line_items": .lineItems, "customer": .customer, "client": .client, "consent": .consent, "test": .test,
        ]
    }

    /// Reads the event object at the scanner, or `nil` (see the type).
    static func read(_ scanner: inout JSONScanner, source: String) -> ConversionEvent? {
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var seen: UInt32 = 0
        var first = true
        var ok = true
        var eventID: String?
        var name: EventName?
        var time: Timestamp?
        var orderID: String?
        var valueText: String?
        var currencyCode: String?
        var lines: [(id: String, name: String?, quantity: Int, price: String?)] = []
        var customer = CustomerIdentifiers()
        var client = ClientContext()
        var consent = ConsentSignals()
        var isTest = false
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let member = Member.names[key], seen & (1 << member.rawValue) == 0 else { return nil }
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
                guard let text = scanner.stringValue(), fits(text, 40), let parsed = Timestamp(rfc3339: text) else { return nil }
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
                guard let read = readLines(&scanner) else { return nil }
                lines = read
            case .customer:
                if scanner.consumeNull() { continue }
                guard readCustomer(&scanner, into: &customer) else { return nil }
            case .client:
                if scanner.consumeNull() { continue }
                guard readClient(&scanner, into: &client) else { return nil }
            case .consent:
                if scanner.consumeNull() { continue }
                guard readConsent(&scanner, into: &consent) else { return nil }
            case .test:
                if scanner.consumeNull() { continue }
                guard let flag = scanner.boolValue() else { return nil }
                isTest = flag
            }
        }
        guard ok, let eventID, let name, let time else { return nil }
        // `dependentRequired`: a value needs its currency.
        if valueText != nil, currencyCode == nil { return nil }
        var event = ConversionEvent(eventID: eventID, eventName: name, eventTime: time, source: source)
        event.orderID = orderID
        event.isTest = isTest
        // What the schema cannot say, as `ConversionEvent.decode` checks it.
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

    /// `line_items`: an array of at most 1,000 `{id, name?, quantity, unit_price?}`.
    private static func readLines(_ scanner: inout JSONScanner) -> [(id: String, name: String?, quantity: Int, price: String?)]? {
        guard scanner.consume(UInt8(ascii: "[")) else { return nil }
        var lines: [(id: String, name: String?, quantity: Int, price: String?)] = []
        var firstElement = true
        var ok = true
        while scanner.nextElement(first: &firstElement, ok: &ok) {
            guard lines.count < 1000, scanner.consume(UInt8(ascii: "{")) else { return nil }
            var id: String?
            var name: String?
            var quantity: Int?
            var price: String?
            var seen: UInt8 = 0
            var first = true
            while let key = scanner.nextKey(first: &first, ok: &ok) {
                switch key {
                case "id":
                    guard seen & 1 == 0, let text = scanner.stringValue(), !text.isEmpty, fits(text, 256) else { return nil }
                    seen |= 1
                    id = text
                case "name":
                    guard seen & 2 == 0 else { return nil }
                    seen |= 2
                    if scanner.consumeNull() { continue }
                    guard let text = scanner.stringValue(), fits(text, 1024) else { return nil }
                    name = text
                case "quantity":
                    guard seen & 4 == 0, let count = scanner.plainInteger(), (1...1_000_000).contains(count) else { return nil }
                    seen |= 4
                    quantity = count
                case "unit_price":
                    guard seen & 8 == 0 else { return nil }
                    seen |= 8
                    if scanner.consumeNull() { continue }
                    guard let text = scanner.stringValue(), isDecimal(text, signed: true) else { return nil }
                    price = text
                default:
                    return nil
                }
            }
            guard ok, let id, let quantity else { return nil }
            lines.append((id, name, quantity, price))
        }
        return ok ? lines : nil
    }

    private static let customerFields: [String: (field: CustomerField, bit: UInt32)] = Dictionary(
        uniqueKeysWithValues: CustomerField.allCases.enumerated().map { ($1.rawValue, ($1, 1 << UInt32($0))) })

    /// `customer`: identifiers of at most 512 characters, or `null`.
    private static func readCustomer(_ scanner: inout JSONScanner, into customer: inout CustomerIdentifiers) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let (field, bit) = customerFields[key], seen & bit == 0 else { return false }
            seen |= bit
            if scanner.consumeNull() { continue }
            guard let text = scanner.stringValue(), fits(text, 512) else { return false }
            customer.fill(field, with: text)
        }
        return ok
    }

    private static let clickKinds: [String: (kind: ClickIDKind, bit: UInt32)] = Dictionary(
        uniqueKeysWithValues: ClickIDKind.allCases.enumerated().map { ($1.rawValue, ($1, 1 << UInt32($0))) })

    /// The members of `client`, by bit.
    private static let clientMembers: [String: (limit: Int, bit: UInt32)] = [
        "ip_address": (64, 1), "user_agent": (2048, 2), "landing_url": (8192, 4), "ga_client_id": (128, 8), "ga_session_id": (64, 16),
        "click_ids": (0, 32),
    ]

    /// `client`: the browser context, each field bounded as the schema says.
    private static func readClient(_ scanner: inout JSONScanner, into client: inout ClientContext) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let (limit, bit) = clientMembers[key], seen & bit == 0 else { return false }
            seen |= bit
            if key == "click_ids" {
                if scanner.consumeNull() { continue }
                guard scanner.consume(UInt8(ascii: "{")) else { return false }
                var seenKinds: UInt32 = 0
                var firstKind = true
                while let name = scanner.nextKey(first: &firstKind, ok: &ok) {
                    guard let (kind, kindBit) = clickKinds[name], seenKinds & kindBit == 0 else { return false }
                    seenKinds |= kindBit
                    if scanner.consumeNull() { continue }
                    guard let text = scanner.stringValue(), fits(text, 1024) else { return false }
                    client.fill(kind, with: text)
                }
                guard ok else { return false }
                continue
            }
            if scanner.consumeNull() { continue }
            guard let text = scanner.stringValue(), fits(text, limit) else { return false }
            guard !text.isBlank else { continue }
            switch key {
            case "ip_address": client.ipAddress = PersonalData(text)
            case "user_agent": client.userAgent = PersonalData(text)
            case "landing_url": client.landingURL = PersonalData(text)
            case "ga_client_id": client.gaClientID = PersonalData(text)
            default: client.gaSessionID = PersonalData(text)
            }
        }
        return ok
    }

    /// The members of `consent` this reader takes, by bit.
    private static let consentMembers: [String: UInt32] = [
        "ad_user_data": 1, "ad_personalization": 2, "gpc": 4, "tcf_string": 8, "us_privacy": 16, "gpp_string": 32,
    ]

    /// `consent`: Consent Mode values, GPC, the IAB strings. Source signals
    /// (free-form keys) take the tree path.
    private static func readConsent(_ scanner: inout JSONScanner, into consent: inout ConsentSignals) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let bit = consentMembers[key], seen & bit == 0 else { return false }
            seen |= bit
            switch key {
            case "ad_user_data", "ad_personalization":
                if scanner.consumeNull() { continue }
                guard let text = scanner.stringValue(), let state = ConsentSignals.GrantState(rawValue: text) else { return false }
                if key == "ad_user_data" { consent.adUserData = state } else { consent.adPersonalization = state }
            case "gpc":
                if scanner.consumeNull() { continue }
                guard let flag = scanner.boolValue() else { return false }
                consent.gpc = flag
            case "tcf_string", "us_privacy", "gpp_string":
                if scanner.consumeNull() { continue }
                guard let text = scanner.stringValue(), fits(text, key == "us_privacy" ? 16 : 8192) else { return false }
                guard !text.isBlank else { continue }
                switch key {
                case "tcf_string": consent.tcfString = text
                case "us_privacy": consent.usPrivacy = text
                default: consent.gppString = text
                }
            default:
                return false
            }
        }
        return ok
    }
}
