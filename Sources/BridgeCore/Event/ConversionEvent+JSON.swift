/// The canonical JSON form of `ConversionEvent`: the contract custom backends
/// code against (`config/schema/conversion-event.schema.json`).
extension ConversionEvent {
    /// Builds an event from a canonical `data` object: validates it against the
    /// schema (unknown properties allowed), then checks what a schema cannot
    /// say.
    /// - Parameters:
    ///   - json: the canonical event object.
    ///   - source: the configured source name it arrived through.
    ///   - schema: the compiled canonical schema.
    ///   - pointer: where `json` sits in the request body, for error pointers.
    /// - Throws: `EventValidationError` naming the offending members.
    public static func decode(
        canonical json: JSONValue,
        source: String,
        schema: JSONSchema,
        at pointer: JSONPointer = .root
    ) throws(EventValidationError) -> ConversionEvent {
        try read(canonical: json, source: source, schema: schema, at: pointer).event
    }

    /// An event read from its canonical object, with the members the schema
    /// does not declare (ignored; see `JSONSchema.UnknownProperties`).
    public struct Decoded: Sendable, Equatable {
        public var event: ConversionEvent
        /// Pointers of the unknown properties that were ignored, sorted.
        public var ignored: [JSONPointer]
    }

    /// Builds an event from a canonical `data` object: validates it against the
    /// schema, then checks what a schema cannot say (belt and braces: the
    /// published schema says it all).
    /// - Parameters:
    ///   - unknownProperties: `.ignore` lists members the schema does not
    ///     declare in `Decoded.ignored`; `.refuse` (`strict: true`) refuses each.
    /// - Throws: `EventValidationError` naming the offending members.
    public static func read(
        canonical json: JSONValue,
        source: String,
        schema: JSONSchema,
        unknownProperties: JSONSchema.UnknownProperties = .ignore,
        at pointer: JSONPointer = .root
    ) throws(EventValidationError) -> Decoded {
        let verdict = schema.evaluate(json, at: pointer, unknownProperties: unknownProperties, limit: unknownProperties == .refuse ? 100 : 10)
        guard verdict.isValid else { throw EventValidationError(verdict.violations) }
        // The schema guarantees every shape below; the guards are belt and braces.
        guard let eventID = json["event_id"]?.stringValue,
            let name = json["event_name"]?.stringValue.flatMap(EventName.init(rawValue:)),
            let timeText = json["event_time"]?.stringValue, let time = Timestamp(rfc3339: timeText)
        else { throw EventValidationError(pointer: pointer, message: "event_id, event_name and event_time are required") }

        var event = ConversionEvent(eventID: eventID, eventName: name, eventTime: time, source: source)
        event.orderID = json["order_id"]?.stringValue
        event.isTest = json["test"]?.boolValue ?? false

        if let valueText = json["value"]?.stringValue {
            event.value = try money(valueText, json["currency"]?.stringValue, at: pointer)
        } else if let code = json["currency"]?.stringValue, Currency(code: code) == nil {
            throw EventValidationError(pointer: pointer.appending("currency"), message: "not an ISO 4217 currency code")
        }
        let currency = event.value?.currency ?? json["currency"]?.stringValue.flatMap(Currency.init(code:))
        for (i, item) in (json["line_items"]?.arrayValue ?? []).enumerated() {
            let itemPointer = pointer.appending("line_items").appending(i)
            var unitPrice: Money.Amount?
            if let priceText = item["unit_price"]?.stringValue {
                unitPrice = Money.Amount(priceText)
                if let currency, let price = unitPrice, price.significantFractionDigits > max(currency.minorUnit, 2) {
                    throw EventValidationError(pointer: itemPointer.appending("unit_price"), message: "more decimals than \(currency.code) has")
                }
            }
            // The schema holds quantities to integers from 1 to 1,000,000 (`2`, `2.0`, `2e0`).
            let quantity = item["quantity"]?.numberText.flatMap { JSONDecimal($0)?.intValue } ?? 1
            event.lineItems.append(LineItem(id: item["id"]?.stringValue ?? "", name: item["name"]?.stringValue, quantity: quantity, unitPrice: unitPrice))
        }
        event.customer = customer(from: json["customer"])
        event.client = client(from: json["client"])
        event.consent = consent(from: json["consent"])
        event.attribution = attribution(from: json["attribution"], landingURL: event.client.landingURL?.rawValue)
        event.customProperties = customProperties(from: json["custom_properties"])
        return Decoded(event: event, ignored: verdict.ignored)
    }

    /// A value/currency pair with the currency's minor-unit rule enforced.
    static func money(_ valueText: String, _ currencyCode: String?, at pointer: JSONPointer) throws(EventValidationError) -> Money {
        guard let amount = Money.Amount(valueText) else {
            throw EventValidationError(pointer: pointer.appending("value"), message: "not a decimal string")
        }
        guard let code = currencyCode, let currency = Currency(code: code) else {
            throw EventValidationError(pointer: pointer.appending("currency"), message: "not an ISO 4217 currency code")
        }
        guard amount.significantFractionDigits <= currency.minorUnit else {
            throw EventValidationError(
                pointer: pointer.appending("value"),
                message: "\(currency.code) has \(currency.minorUnit) decimal places; the value has more")
        }
        return Money(amount: amount.rescaled(to: currency.minorUnit), currency: currency)
    }

    /// The identifiers of a canonical `customer` object (absent or null → none).
    public static func customer(from json: JSONValue?) -> CustomerIdentifiers {
        var customer = CustomerIdentifiers()
        for field in CustomerField.allCases {
            customer.fill(field, with: json?[field.rawValue]?.stringValue)
        }
        return customer
    }

    /// The client context of a canonical `client` object.
    public static func client(from json: JSONValue?) -> ClientContext {
        var client = ClientContext()
        if let ip = json?["ip_address"]?.nonBlankString { client.ipAddress = PersonalData(ip) }
        if let ua = json?["user_agent"]?.nonBlankString { client.userAgent = PersonalData(ua) }
        if let url = json?["landing_url"]?.nonBlankString { client.landingURL = PersonalData(url) }
        if let id = json?["ga_client_id"]?.nonBlankString { client.gaClientID = PersonalData(id) }
        if let id = json?["ga_session_id"]?.nonBlankString { client.gaSessionID = PersonalData(id) }
        for kind in ClickIDKind.allCases {
            client.fill(kind, with: json?["click_ids"]?[kind.rawValue]?.stringValue)
        }
        return client
    }

    /// The consent signals of a canonical `consent` object.
    public static func consent(from json: JSONValue?) -> ConsentSignals {
        var consent = ConsentSignals()
        consent.adUserData = json?["ad_user_data"]?.stringValue.flatMap(ConsentSignals.GrantState.init(rawValue:))
        consent.adPersonalization = json?["ad_personalization"]?.stringValue.flatMap(ConsentSignals.GrantState.init(rawValue:))
        consent.gpc = json?["gpc"]?.boolValue
        consent.tcfString = json?["tcf_string"]?.nonBlankString
        consent.usPrivacy = json?["us_privacy"]?.nonBlankString
        consent.gppString = json?["gpp_string"]?.nonBlankString
        if case .object(let signals)? = json?["source_signals"] {
            for (key, value) in signals { if let text = value.scalarText { consent.sourceSignals[key] = text } }
        }
        return consent
    }

    /// The attribution of a canonical `attribution` object, completed from
    /// the landing URL's `utm_*` parameters.
    public static func attribution(from json: JSONValue?, landingURL: String?) -> CampaignAttribution {
        var attribution = CampaignAttribution()
        for field in CampaignAttribution.Field.allCases { attribution.fill(field, with: json?[field.rawValue]?.stringValue) }
        attribution.fill(fromURL: landingURL)
        return attribution
    }

    /// The parameters of a canonical `custom_properties` object (null values left out).
    public static func customProperties(from json: JSONValue?) -> CustomProperties {
        guard case .object(let members)? = json else { return CustomProperties() }
        var values: [String: CustomValue] = [:]
        for (name, value) in members {
            switch value {
            case .string(let text): values[name] = .string(text)
            case .number(let text): values[name] = .number(text)
            case .bool(let flag): values[name] = .bool(flag)
            default: continue
            }
        }
        return CustomProperties(values)
    }

    /// The canonical JSON object. With `includeIdentifiers: false` the
    /// `customer` and `client` blocks are left out: that part holds no personal
    /// data and can be stored in clear (see `identifiersJSON`).
    public func canonicalJSON(includeIdentifiers: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "event_id": .string(eventID),
            "event_name": .string(eventName.rawValue),
            "event_time": .string(eventTime.rfc3339),
            "test": .bool(isTest),
        ]
        if let orderID { object["order_id"] = .string(orderID) }
        if let value {
            object["value"] = .string(value.formattedAmount)
            object["currency"] = .string(value.currency.code)
        }
        if !lineItems.isEmpty {
            object["line_items"] = .array(
                lineItems.map { item in
                    var o: [String: JSONValue] = ["id": .string(item.id), "quantity": .number(String(item.quantity))]
                    if let name = item.name { o["name"] = .string(name) }
                    if let price = item.unitPrice {
                        o["unit_price"] = .string(price.formatted(fractionDigits: max(price.reduced.scale, value?.currency.minorUnit ?? 2)))
                    }
                    return .object(o)
                })
        }
        object["consent"] = consentJSON
        if let attribution = attributionJSON { object["attribution"] = attribution }
        if let custom = customPropertiesJSON { object["custom_properties"] = custom }
        if includeIdentifiers {
            let identifiers = identifiersJSON
            object["customer"] = identifiers["customer"]
            object["client"] = identifiers["client"]
        }
        return .object(object)
    }

    /// The `customer` and `client` blocks alone: the personal data that the
    /// outbox seals.
    public var identifiersJSON: JSONValue {
        var customerObject: [String: JSONValue] = [:]
        for (field, value) in customer.values { customerObject[field.rawValue] = .string(value.rawValue) }
        var clientObject: [String: JSONValue] = [:]
        if let ip = client.ipAddress { clientObject["ip_address"] = .string(ip.rawValue) }
        if let ua = client.userAgent { clientObject["user_agent"] = .string(ua.rawValue) }
        if let url = client.landingURL { clientObject["landing_url"] = .string(url.rawValue) }
        if let id = client.gaClientID { clientObject["ga_client_id"] = .string(id.rawValue) }
        if let id = client.gaSessionID { clientObject["ga_session_id"] = .string(id.rawValue) }
        var clicks: [String: JSONValue] = [:]
        for (kind, value) in client.clickIDs { clicks[kind.rawValue] = .string(value.rawValue) }
        if !clicks.isEmpty { clientObject["click_ids"] = .object(clicks) }
        return .object(["customer": .object(customerObject), "client": .object(clientObject)])
    }

    /// The `attribution` object, or `nil` when there is none.
    var attributionJSON: JSONValue? {
        guard !attribution.isEmpty else { return nil }
        return .object(Dictionary(uniqueKeysWithValues: attribution.values.map { ($0.key.rawValue, JSONValue.string($0.value)) }))
    }

    /// The `custom_properties` object, or `nil` when there are none.
    var customPropertiesJSON: JSONValue? {
        guard !customProperties.isEmpty else { return nil }
        return .object(
            customProperties.values.mapValues { value in
                switch value {
                case .string(let text): .string(text)
                case .number(let text): .number(text)
                case .bool(let flag): .bool(flag)
                }
            })
    }

    var consentJSON: JSONValue {
        var object: [String: JSONValue] = [:]
        if let v = consent.adUserData { object["ad_user_data"] = .string(v.rawValue) }
        if let v = consent.adPersonalization { object["ad_personalization"] = .string(v.rawValue) }
        if let v = consent.gpc { object["gpc"] = .bool(v) }
        if let v = consent.tcfString { object["tcf_string"] = .string(v) }
        if let v = consent.usPrivacy { object["us_privacy"] = .string(v) }
        if let v = consent.gppString { object["gpp_string"] = .string(v) }
        if !consent.sourceSignals.isEmpty {
            object["source_signals"] = .object(consent.sourceSignals.mapValues { .string($0) })
        }
        return .object(object)
    }

    /// Rebuilds an event from its stored parts: the clear canonical object (as
    /// written by `canonicalJSON(includeIdentifiers: false)`) and, when still
    /// held, the unsealed `identifiersJSON`. No schema check: the input was
    /// validated when it was accepted.
    public static func restore(clear: JSONValue, identifiers: JSONValue?, source: String) -> ConversionEvent? {
        guard let eventID = clear["event_id"]?.stringValue,
            let name = clear["event_name"]?.stringValue.flatMap(EventName.init(rawValue:)),
            let time = clear["event_time"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) })
        else { return nil }
        var event = ConversionEvent(eventID: eventID, eventName: name, eventTime: time, source: source)
        event.orderID = clear["order_id"]?.stringValue
        event.isTest = clear["test"]?.boolValue ?? false
        if let v = clear["value"]?.stringValue, let amount = Money.Amount(v),
            let currency = clear["currency"]?.stringValue.flatMap(Currency.init(code:))
        {
            event.value = Money(amount: amount, currency: currency)
        }
        for item in clear["line_items"]?.arrayValue ?? [] {
            event.lineItems.append(
                LineItem(
                    id: item["id"]?.stringValue ?? "",
                    name: item["name"]?.stringValue,
                    quantity: item["quantity"]?.numberText.flatMap { Int($0) } ?? 1,
                    unitPrice: item["unit_price"]?.stringValue.flatMap { Money.Amount($0) }))
        }
        event.consent = consent(from: clear["consent"])
        event.attribution = attribution(from: clear["attribution"], landingURL: nil)
        event.customProperties = customProperties(from: clear["custom_properties"])
        if let identifiers {
            event.customer = customer(from: identifiers["customer"])
            event.client = client(from: identifiers["client"])
        }
        return event
    }
}
