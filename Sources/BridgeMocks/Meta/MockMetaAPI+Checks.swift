import BridgeCore

/// Meta's checks of a Conversions API request, as Meta documents them, each
/// failure the Graph error Meta would give (as a `MockProblem` whose text is
/// `MockGraphError.problemMessage`). Messages name the offending field
/// (`data[3].user_data.em`), never a value.
///
/// | check | error |
/// |---|---|
/// | access token present (query, body or Bearer) | 400, code 104 |
/// | token equals the server's `expectedToken`, when set | 400, code 190 |
/// | `appsecret_proof` matches, when `appSecret` is set | 400, code 100 |
/// | body is a JSON object with `data`: 1…1,000 events | 400, code 100 / 2804000 |
/// | `event_name` non-empty; `action_source` one of Meta's values | 100 / 2804000 |
/// | `event_time` integer seconds (not ms) | 100 / 2804000 |
/// | `event_time` not older than 7 days | 100 / 2804003 |
/// | `event_time` not more than `maxFutureSkew` ahead | 100 / 2804004 |
/// | `user_data` object with at least one key, not only an invalid combination | 100 / 2804000 |
/// | hashed keys: a string or list of strings, each 64 lowercase hex | 100 / 2804000 |
/// | `client_ip_address` an IP, `client_user_agent` text, `fbc`/`fbp` `fb.` cookies, none 64-hex | 100 / 2804000 |
/// | `custom_data.value` a JSON number, `currency` three letters | 100 / 2804000 |
/// | Purchase with `value` and `currency` | 100 / 2804009 |
/// | `data_processing_options` ⊆ `["LDU"]`, `_country`/`_state` integers | 100 / 2804000 |
/// | website events have `client_user_agent` and `event_source_url` | warning in `messages`; an error with `strictWebsiteEvents` |
extension MockMetaAPI {
    static let hashedKeys: Set<String> = ["em", "ph", "fn", "ln", "db", "ge", "ct", "st", "zp", "country"]
    static let actionSources: Set<String> = [
        "email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other",
    ]
    static let insufficientCombinations: [Set<String>] = [
        ["ct", "country", "st", "zp", "ge", "client_user_agent"], ["db", "client_user_agent"], ["fn", "ge"], ["ln", "ge"],
    ]

    /// The token checks; `nil` when they pass.
    func checkCredentials(token: String?, proof: String?, expectedToken: String?) -> MockGraphError? {
        guard let token, !token.isEmpty else {
            return MockGraphError(code: 104, message: "An access token is required to request this resource.")
        }
        if let expectedToken, token != expectedToken {
            return MockGraphError(code: 190, message: "Invalid OAuth access token - Cannot parse access token")
        }
        if let appSecret, let expectedToken,
            proof != SignatureSupport.hex(SignatureSupport.hmacSHA256(key: Array(appSecret.utf8), message: Array(expectedToken.utf8)))
        {
            return MockGraphError(code: 100, message: "Invalid appsecret_proof provided in the API argument")
        }
        return nil
    }

    /// Checks the body: a request problem, or the first problem of each bad event.
    func check(body json: JSONValue?, now: Timestamp) -> [MockProblem] {
        guard let json, case .object = json, let data = json["data"]?.arrayValue else {
            return [.request(MockGraphError.invalid(MockMetaSubcode.invalidParameter, "Missing data", "The parameter data is required").problemMessage)]
        }
        guard (1...1000).contains(data.count) else {
            return [.request(MockGraphError.invalid(MockMetaSubcode.invalidParameter, "Invalid data", "data must hold 1 to 1000 events").problemMessage)]
        }
        return data.indices.compactMap { index in
            check(event: data[index], at: "data[\(index)]", now: now).map { MockProblem.event(index, $0.problemMessage) }
        }
    }

    /// The `messages` of an accepted request: website events without a
    /// user agent or page URL (errors instead with `strictWebsiteEvents`).
    func warnings(in json: JSONValue?) -> [String] {
        guard !strictWebsiteEvents else { return [] }
        return (json?["data"]?.arrayValue ?? []).enumerated().flatMap { index, event in
            Self.websiteGaps(event).map { "data[\(index)].\($0) is required for website events" }
        }
    }

    /// What a website event lacks of what Meta requires of one.
    static func websiteGaps(_ event: JSONValue) -> [String] {
        guard event["action_source"]?.stringValue == "website" else { return [] }
        return [("user_data.client_user_agent", event["user_data"]?["client_user_agent"] != nil), ("event_source_url", event["event_source_url"] != nil)]
            .filter { !$0.1 }.map(\.0)
    }

    private func invalid(_ path: String, _ problem: String, subcode: Int = MockMetaSubcode.invalidParameter) -> MockGraphError {
        .invalid(subcode, "Invalid parameter", "\(path): \(problem)")
    }

    /// The first problem of one event, `nil` when it is valid.
    func check(event: JSONValue, at path: String, now: Timestamp) -> MockGraphError? {
        guard case .object = event else { return invalid(path, "must be an object") }
        guard let name = event["event_name"]?.stringValue, !name.isEmpty else { return invalid("\(path).event_name", "is required") }
        if let error = checkTime(event["event_time"], at: "\(path).event_time", now: now) { return error }
        guard let source = event["action_source"]?.stringValue, Self.actionSources.contains(source) else {
            return invalid("\(path).action_source", "is required and must be one of Meta's action sources")
        }
        if let id = event["event_id"], id.stringValue == nil { return invalid("\(path).event_id", "must be a string") }
        guard let userData = event["user_data"]?.objectValue, !userData.isEmpty else {
            return invalid("\(path).user_data", "is required and needs at least one customer information parameter")
        }
        if let error = checkUserData(userData, at: "\(path).user_data") { return error }
        if let error = checkCustomData(event, name: name, at: path) { return error }
        if let error = checkPrivacy(event, at: path) { return error }
        if strictWebsiteEvents, let field = Self.websiteGaps(event).first { return invalid("\(path).\(field)", "is required for website events") }
        return nil
    }

    private func checkTime(_ value: JSONValue?, at path: String, now: Timestamp) -> MockGraphError? {
        guard let text = value?.numberText, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(text) else {
            return invalid(path, "must be an integer number of seconds")
        }
        if seconds >= 100_000_000_000 { return invalid(path, "looks like milliseconds; must be seconds") }
        let time = Timestamp(secondsSinceEpoch: seconds)
        if time < now.advanced(by: .zero - maxEventAge) {
            return .invalid(MockMetaSubcode.eventTooOld, "Event Timestamp Too Old", "\(path): the timestamp for this event is too far in the past")
        }
        if time > now.advanced(by: maxFutureSkew) {
            return .invalid(MockMetaSubcode.eventInFuture, "Event Timestamp In Future", "\(path): the timestamp for this event is in the future")
        }
        return nil
    }

    private func checkUserData(_ userData: [String: JSONValue], at path: String) -> MockGraphError? {
        for (key, value) in userData {
            let values: [JSONValue] = value.arrayValue ?? [value]
            guard !values.isEmpty, values.allSatisfy({ $0.stringValue?.isEmpty == false }) else {
                return invalid("\(path).\(key)", "must be a non-empty string or list of strings")
            }
            let strings = values.compactMap(\.stringValue)
            if Self.hashedKeys.contains(key) || (key == "external_id" && requireHashedExternalID) {
                if !strings.allSatisfy(Self.isSHA256) { return invalid("\(path).\(key)", "must be a SHA-256 hash (64 lowercase hex)") }
                continue
            }
            guard ["client_ip_address", "client_user_agent", "fbc", "fbp"].contains(key) else { continue }
            guard value.stringValue != nil else { return invalid("\(path).\(key)", "must be a string") }
            if strings.contains(where: Self.isSHA256) { return invalid("\(path).\(key)", "must not be hashed") }
            if key == "client_ip_address", !strings.allSatisfy(Self.looksLikeIP) { return invalid("\(path).\(key)", "must be an IPv4 or IPv6 address") }
            if key == "fbc" || key == "fbp", !strings.allSatisfy(Self.looksLikeCookie) {
                return invalid("\(path).\(key)", "must be fb.<subdomain index>.<creation time>.<value>")
            }
        }
        let keys = Set(userData.keys)
        if Self.insufficientCombinations.contains(where: { keys.isSubset(of: $0) }) {
            return invalid(path, "these customer information parameters alone are not enough to match an event")
        }
        return nil
    }

    private func checkCustomData(_ event: JSONValue, name: String, at path: String) -> MockGraphError? {
        let custom = event["custom_data"]
        if let custom, custom.objectValue == nil { return invalid("\(path).custom_data", "must be an object") }
        if let value = custom?["value"], value.numberText == nil { return invalid("\(path).custom_data.value", "must be a number") }
        if let currency = custom?["currency"] {
            guard let code = currency.stringValue, code.utf8.count == 3, code.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else {
                return invalid("\(path).custom_data.currency", "must be an ISO 4217 code")
            }
        }
        if name == "Purchase", custom?["value"] == nil || custom?["currency"] == nil {
            return .invalid(
                MockMetaSubcode.missingPurchaseValue, "Missing Value for Purchase Event", "\(path).custom_data: value and currency are required for Purchase events")
        }
        return nil
    }

    private func checkPrivacy(_ event: JSONValue, at path: String) -> MockGraphError? {
        if let processing = event["data_processing_options"] {
            guard let list = processing.arrayValue, list.allSatisfy({ $0.stringValue == "LDU" }) else {
                return invalid("\(path).data_processing_options", "must be [] or [\"LDU\"]")
            }
        }
        for key in ["data_processing_options_country", "data_processing_options_state"] {
            if let value = event[key], value.numberText.flatMap({ Int($0) }) == nil { return invalid("\(path).\(key)", "must be an integer") }
        }
        if let optOut = event["opt_out"], optOut.boolValue == nil { return invalid("\(path).opt_out", "must be a boolean") }
        return nil
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// Dotted-quad IPv4 or hex-and-colons IPv6 (shape only).
    static func looksLikeIP(_ text: String) -> Bool {
        if text.contains(":") {
            return text.utf8.allSatisfy { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x66) }
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { $0.count <= 3 && Int($0).map { (0...255).contains($0) } == true }
    }

    /// `fb.<digits>.<digits>.<something>` (Parameter Builder values may have one more segment).
    static func looksLikeCookie(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "fb" && Int(parts[1]) != nil && Int64(parts[2]) != nil && !parts[3].isEmpty
    }
}
