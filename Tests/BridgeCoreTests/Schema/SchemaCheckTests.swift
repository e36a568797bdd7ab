import BridgeCore
import Testing

/// The typed check of a mapped event agrees with validating its canonical
/// JSON against the schema: it never passes an event the schema refuses.
@Suite("Typed schema check of mapped events")
struct SchemaCheckTests {
    static func event(_ change: (inout ConversionEvent) -> Void = { _ in }) -> ConversionEvent {
        var event = ConversionEvent(
            eventID: "sale:shop:1", eventName: .purchase, eventTime: Timestamp(secondsSinceEpoch: 1_773_500_712), source: "shop", orderID: "1",
            value: Money(amount: Money.Amount("129.90")!, currency: Currency(code: "EUR")!),
            lineItems: [LineItem(id: "BK-1", name: "Zauberberg", quantity: 2, unitPrice: Money.Amount("34.00"))])
        event.customer.fill(.email, with: "zoe@example.com")
        event.client.ipAddress = PersonalData("203.0.113.9")
        event.client.fill(.gclid, with: "Cj0")
        event.consent.usPrivacy = "1YNN"
        event.consent.sourceSignals["shopify.buyer_accepts_marketing"] = "true"
        change(&event)
        return event
    }

    static let cases: [(String, ConversionEvent)] = [
        ("valid", event()),
        ("event id with a space", event { $0.eventID = "sale shop" }),
        ("event id too long", event { $0.eventID = String(repeating: "x", count: 257) }),
        ("order id too long", event { $0.orderID = String(repeating: "é", count: 257) }),
        ("line item without id", event { $0.lineItems[0].id = "" }),
        ("quantity zero", event { $0.lineItems[0].quantity = 0 }),
        ("too many lines", event { $0.lineItems = Array(repeating: $0.lineItems[0], count: 1001) }),
        ("unit price with five decimals", event { $0.lineItems[0].unitPrice = Money.Amount("1.00001") }),
        ("customer value too long", event { $0.customer[.city] = PersonalData(String(repeating: "a", count: 513)) }),
        ("user agent too long", event { $0.client.userAgent = PersonalData(String(repeating: "a", count: 2049)) }),
        ("click id too long", event { $0.client[clickID: .fbc] = PersonalData(String(repeating: "a", count: 1025)) }),
        ("US privacy string too long", event { $0.consent.usPrivacy = String(repeating: "1", count: 17) }),
        ("too many source signals", event { for i in 0..<65 { $0.consent.sourceSignals["s\(i)"] = "v" } }),
    ]

    @Test("the check passes only what the schema accepts, and passes the valid event", arguments: cases.indices)
    func agreement(_ index: Int) {
        let (name, event) = Self.cases[index]
        let schemaAccepts = CanonicalEventSchema.compiled.validate(event.canonicalJSON()).isEmpty
        if event.certainlyMatchesCanonicalSchema { #expect(schemaAccepts, "\(name)") }
        #expect(event.certainlyMatchesCanonicalSchema == schemaAccepts, "\(name): the check and the schema disagree")
    }
}
