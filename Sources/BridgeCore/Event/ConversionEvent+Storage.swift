/// Direct serializers for the outbox: the same JSON as
/// `canonicalJSON(includeIdentifiers: false)` and `identifiersJSON`, written
/// straight to bytes without building a `JSONValue` tree (they run for every
/// event accepted). Tests check they parse to the same values.
extension ConversionEvent {
    /// The clear part (no personal data), as JSON bytes.
    public func clearJSONBytes() -> [UInt8] {
        var object = JSONObjectBytes(capacity: 512)
        object.string("event_id", eventID)
        object.string("event_name", eventName.rawValue)
        object.string("event_time", eventTime.rfc3339)
        object.raw("test", isTest ? "true" : "false")
        if let orderID { object.string("order_id", orderID) }
        if let value {
            object.string("value", value.formattedAmount)
            object.string("currency", value.currency.code)
        }
        if !lineItems.isEmpty {
            var items: [UInt8] = [UInt8(ascii: "[")]
            for (index, item) in lineItems.enumerated() {
                if index > 0 { items.append(UInt8(ascii: ",")) }
                var line = JSONObjectBytes(capacity: 128)
                line.string("id", item.id)
                line.raw("quantity", String(item.quantity))
                if let name = item.name { line.string("name", name) }
                if let price = item.unitPrice {
                    line.string("unit_price", price.formatted(fractionDigits: max(price.reduced.scale, value?.currency.minorUnit ?? 2)))
                }
                items += line.finish()
            }
            items.append(UInt8(ascii: "]"))
            object.raw("line_items", items)
        }
        var consentBytes: [UInt8] = []
        JSONWriter.writeUnsorted(consentJSON, into: &consentBytes)
        object.raw("consent", consentBytes)
        for (name, value) in [("attribution", attributionJSON), ("custom_properties", customPropertiesJSON)] {
            guard let value else { continue }
            var bytes: [UInt8] = []
            JSONWriter.writeUnsorted(value, into: &bytes)
            object.raw(name, bytes)
        }
        return object.finish()
    }

    /// The personal part (`customer` and `client` blocks), as JSON bytes.
    public func identifiersJSONBytes() -> [UInt8] {
        var customerObject = JSONObjectBytes(capacity: 256)
        for (field, value) in customer.values { customerObject.string(field.rawValue, value.rawValue) }
        var clientObject = JSONObjectBytes(capacity: 256)
        if let ip = client.ipAddress { clientObject.string("ip_address", ip.rawValue) }
        if let ua = client.userAgent { clientObject.string("user_agent", ua.rawValue) }
        if let url = client.landingURL { clientObject.string("landing_url", url.rawValue) }
        if let id = client.gaClientID { clientObject.string("ga_client_id", id.rawValue) }
        if let id = client.gaSessionID { clientObject.string("ga_session_id", id.rawValue) }
        if !client.clickIDs.isEmpty {
            var clicks = JSONObjectBytes(capacity: 128)
            for (kind, value) in client.clickIDs { clicks.string(kind.rawValue, value.rawValue) }
            clientObject.raw("click_ids", clicks.finish())
        }
        var object = JSONObjectBytes(capacity: 512)
        object.raw("customer", customerObject.finish())
        object.raw("client", clientObject.finish())
        return object.finish()
    }
}

/// Builds one JSON object's bytes member by member.
struct JSONObjectBytes {
    private var bytes: [UInt8]
    private var first = true

    init(capacity: Int) {
        bytes = [UInt8(ascii: "{")]
        bytes.reserveCapacity(capacity)
    }

    private mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        JSONWriter.writeString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        JSONWriter.writeString(value, into: &bytes)
    }

    mutating func raw(_ name: String, _ literal: String) {
        key(name)
        bytes.append(contentsOf: literal.utf8)
    }

    mutating func raw(_ name: String, _ json: [UInt8]) {
        key(name)
        bytes.append(contentsOf: json)
    }

    consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
