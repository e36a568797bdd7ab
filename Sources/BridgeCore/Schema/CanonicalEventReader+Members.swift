/// The blocks of a canonical event, read member by member. Each reader
/// answers `nil` or `false` for anything it does not decide (see
/// `CanonicalEventReader`), skips and lists members the schema does not
/// declare, and answers `nil`/`false` for a repeated member.
extension CanonicalEventReader {
    /// One `line_items` element as read.
    struct Line {
        let id: String
        let name: String?
        let quantity: Int
        let price: String?
    }

    /// `line_items`: an array of at most 1,000 `{id, name?, quantity, unit_price?}`.
    static func readLines(_ scanner: inout JSONScanner, at pointer: JSONPointer, ignored: inout Ignored) -> [Line]? {
        guard scanner.consume(UInt8(ascii: "[")) else { return nil }
        var lines: [Line] = []
        var firstElement = true
        var ok = true
        while scanner.nextElement(first: &firstElement, ok: &ok) {
            guard lines.count < 1000, scanner.consume(UInt8(ascii: "{")) else { return nil }
            let here = pointer.appending(lines.count)
            var id: String?
            var name: String?
            var quantity: Int?
            var price: String?
            var seen: UInt8 = 0
            var unknown: Set<String> = []
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
                    guard unknown.insert(key).inserted, ignored.skip(here.appending(key)), scanner.skipValue() else { return nil }
                }
            }
            guard ok, let id, let quantity else { return nil }
            lines.append(Line(id: id, name: name, quantity: quantity, price: price))
        }
        return ok ? lines : nil
    }

    private static let customerFields: [String: (field: CustomerField, bit: UInt32)] = Dictionary(
        uniqueKeysWithValues: CustomerField.allCases.enumerated().map { ($1.rawValue, ($1, 1 << UInt32($0))) })

    /// `customer`: identifiers of at most 512 characters, or `null`.
    static func readCustomer(
        _ scanner: inout JSONScanner, into customer: inout CustomerIdentifiers, at pointer: JSONPointer, ignored: inout Ignored
    ) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var unknown: Set<String> = []
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let (field, bit) = customerFields[key] else {
                guard unknown.insert(key).inserted, ignored.skip(pointer.appending(key)), scanner.skipValue() else { return false }
                continue
            }
            guard seen & bit == 0 else { return false }
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
    static func readClient(_ scanner: inout JSONScanner, into client: inout ClientContext, at pointer: JSONPointer, ignored: inout Ignored) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var unknown: Set<String> = []
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard let (limit, bit) = clientMembers[key] else {
                guard unknown.insert(key).inserted, ignored.skip(pointer.appending(key)), scanner.skipValue() else { return false }
                continue
            }
            guard seen & bit == 0 else { return false }
            seen |= bit
            if key == "click_ids" {
                if scanner.consumeNull() { continue }
                guard readClickIDs(&scanner, into: &client, at: pointer.appending(key), ignored: &ignored) else { return false }
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

    /// `client.click_ids`: each of at most 1,024 characters.
    private static func readClickIDs(
        _ scanner: inout JSONScanner, into client: inout ClientContext, at pointer: JSONPointer, ignored: inout Ignored
    ) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var unknown: Set<String> = []
        var first = true
        var ok = true
        while let name = scanner.nextKey(first: &first, ok: &ok) {
            guard let (kind, bit) = clickKinds[name] else {
                guard unknown.insert(name).inserted, ignored.skip(pointer.appending(name)), scanner.skipValue() else { return false }
                continue
            }
            guard seen & bit == 0 else { return false }
            seen |= bit
            if scanner.consumeNull() { continue }
            guard let text = scanner.stringValue(), fits(text, 1024) else { return false }
            client.fill(kind, with: text)
        }
        return ok
    }

    /// The members of `consent` this reader takes, by bit.
    private static let consentMembers: [String: UInt32] = [
        "ad_user_data": 1, "ad_personalization": 2, "gpc": 4, "tcf_string": 8, "us_privacy": 16, "gpp_string": 32,
    ]

    /// `consent`: Consent Mode values, GPC, the IAB strings. Source signals
    /// (free-form keys) take the tree path.
    static func readConsent(_ scanner: inout JSONScanner, into consent: inout ConsentSignals, at pointer: JSONPointer, ignored: inout Ignored) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        var unknown: Set<String> = []
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            if key == "source_signals" { return false }
            guard let bit = consentMembers[key] else {
                guard unknown.insert(key).inserted, ignored.skip(pointer.appending(key)), scanner.skipValue() else { return false }
                continue
            }
            guard seen & bit == 0 else { return false }
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
            default:
                if scanner.consumeNull() { continue }
                guard let text = scanner.stringValue(), fits(text, key == "us_privacy" ? 16 : 8192) else { return false }
                guard !text.isBlank else { continue }
                switch key {
                case "tcf_string": consent.tcfString = text
                case "us_privacy": consent.usPrivacy = text
                default: consent.gppString = text
                }
            }
        }
        return ok
    }

    /// `attribution`: `utm_*` strings of at most 256 characters that do not
    /// look personal.
    static func readAttribution(
        _ scanner: inout JSONScanner, into attribution: inout CampaignAttribution, at pointer: JSONPointer, ignored: inout Ignored
    ) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        var seen: Set<String> = []
        var first = true
        var ok = true
        while let key = scanner.nextKey(first: &first, ok: &ok) {
            guard seen.insert(key).inserted else { return false }
            guard let field = CampaignAttribution.Field(rawValue: key) else {
                guard ignored.skip(pointer.appending(key)), scanner.skipValue() else { return false }
                continue
            }
            if scanner.consumeNull() { continue }
            guard let text = scanner.stringValue(), fits(text, CampaignAttribution.maxLength), !PersonalText.looksPersonal(text) else {
                return false
            }
            attribution.fill(field, with: text)
        }
        return ok
    }

    /// `custom_properties`: at most 50 members, valid names, scalar values
    /// (`CustomProperties.isValid`); null values are left out.
    static func readCustomProperties(_ scanner: inout JSONScanner) -> CustomProperties? {
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var values: [String: CustomValue] = [:]
        var seen: Set<String> = []
        var first = true
        var ok = true
        while let name = scanner.nextKey(first: &first, ok: &ok) {
            guard seen.insert(name).inserted, seen.count <= CustomProperties.maxCount, CustomProperties.isValidName(name) else { return nil }
            if scanner.consumeNull() { continue }
            let value: CustomValue
            if let text = scanner.stringValue() {
                value = .string(text)
            } else if let flag = scanner.boolValue() {
                value = .bool(flag)
            } else if let text = scanner.numberText() {
                value = .number(text)
            } else {
                return nil
            }
            guard CustomProperties.isValid(value) else { return nil }
            values[name] = value
        }
        return ok ? CustomProperties(values) : nil
    }

    /// `event_time`'s pattern: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, year
    /// not 0000, `T` and `Z` in either case, no leap second (the day of the
    /// month is checked by `Timestamp`, as `format: date-time` is).
    static func isCanonicalTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard b.count >= 20, let year = digits(0..<4), year > 0, b[4] == UInt8(ascii: "-"), let month = digits(5..<7), (1...12).contains(month),
            b[7] == UInt8(ascii: "-"), digits(8..<10) != nil, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let hour = digits(11..<13), hour < 24, b[13] == UInt8(ascii: ":"), let minute = digits(14..<16), minute < 60,
            b[16] == UInt8(ascii: ":"), let second = digits(17..<19), second < 60
        else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            let start = i + 1
            i = start
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard (1...9).contains(i - start) else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), i + 6 == b.count, let offsetHour = digits((i + 1)..<(i + 3)), offsetHour < 24,
            b[i + 3] == UInt8(ascii: ":"), let offsetMinute = digits((i + 4)..<(i + 6)), offsetMinute < 60
        else { return false }
        return true
    }
}
