import BridgeCore
import Testing

/// The stored event's tagged sections (campaign attribution, custom
/// properties): they round-trip, events stored before them still read, and a
/// section a newer bridge wrote is skipped.
@Suite("Stored events: tagged sections added compatibly")
struct StoredEventSectionsTests {
    static func event() throws -> ConversionEvent {
        let amount = try #require(Money.Amount("129.90"))
        let currency = try #require(Currency(code: "EUR"))
        var event = ConversionEvent(
            eventID: "sale:shop:1001", eventName: .purchase, eventTime: Timestamp(secondsSinceEpoch: 1_773_500_712), source: "shop",
            orderID: "1001", value: Money(amount: amount, currency: currency))
        event.lineItems = [LineItem(id: "BK-1", name: "Zauberberg", quantity: 2, unitPrice: Money.Amount("34.00"))]
        event.consent.adUserData = .granted
        event.consent.sourceSignals = ["shopify.buyer_accepts_marketing": "true"]
        return event
    }

    /// The clear part as the bridge wrote it before sections existed: the
    /// fixed fields in their order, ending after the source signals.
    static func bytesBeforeSections() -> [UInt8] {
        var writer = BinaryWriter(format: StoredEventCodec.format)
        writer.string("sale:shop:1001")
        writer.string("Purchase")
        writer.signed(1_773_500_712_000)
        writer.bool(false)
        writer.optionalString("1001")
        writer.byte(1)
        writer.string("129.90")
        writer.string("EUR")
        writer.unsigned(1)
        writer.string("BK-1")
        writer.optionalString("Zauberberg")
        writer.signed(2)
        writer.optionalString("34.00")
        writer.byte(1)
        writer.byte(0)
        writer.byte(0)
        writer.optionalString(nil)
        writer.optionalString(nil)
        writer.optionalString(nil)
        writer.unsigned(1)
        writer.string("shopify.buyer_accepts_marketing")
        writer.string("true")
        return writer.bytes
    }

    @Test("an event stored before sections existed reads as before; one without attribution or properties is written byte for byte as then")
    func before() throws {
        let old = Self.bytesBeforeSections()
        let read = try StoredEventCodec.event(clear: old, source: "shop")
        #expect(try read == Self.event())
        #expect(read.attribution.isEmpty && read.customProperties.isEmpty)
        #expect(StoredEventCodec.clearBytes(try Self.event()) == old)
    }

    @Test("attribution and custom properties round-trip, every value kind")
    func roundTrip() throws {
        var event = try Self.event()
        event.attribution = CampaignAttribution([.source: "newsletter", .medium: "email", .campaign: "spring-sale", .term: "books"])
        event.customProperties = CustomProperties([
            "tier": .string("gold"), "basket": .number("3"), "margin": .number("-12.50"), "first_order": .bool(true), "gift": .bool(false),
        ])
        let bytes = StoredEventCodec.clearBytes(event)
        #expect(try StoredEventCodec.event(clear: bytes, source: "shop") == event)
        #expect(bytes.starts(with: Self.bytesBeforeSections()), "the sections follow the old fields")
    }

    @Test("a section with a tag this bridge does not know (written by a newer one) is skipped")
    func unknownSection() throws {
        var event = try Self.event()
        event.customProperties = CustomProperties(["tier": .string("gold")])
        var future = BinaryWriter(format: StoredEventCodec.format)
        future.byte(200)
        future.data([1, 2, 3, 4])
        let bytes = StoredEventCodec.clearBytes(event) + future.bytes.dropFirst()
        #expect(try StoredEventCodec.event(clear: bytes, source: "shop") == event)
    }

    @Test("a truncated section is an error, never a half-read event")
    func truncated() throws {
        var event = try Self.event()
        event.attribution = CampaignAttribution([.campaign: "spring-sale"])
        let bytes = StoredEventCodec.clearBytes(event)
        #expect(throws: StoredEventCodec.DecodingError.self) { try StoredEventCodec.event(clear: Array(bytes.dropLast(3)), source: "shop") }
    }

    @Test("a JSON body of the version before the binary codec reads its attribution and custom properties too")
    func jsonBody() throws {
        var event = try Self.event()
        event.attribution = CampaignAttribution([.campaign: "spring-sale"])
        event.customProperties = CustomProperties(["tier": .string("gold")])
        let json = JSONWriter.bytes(event.canonicalJSON(includeIdentifiers: false))
        #expect(try StoredEventCodec.event(clear: json, source: "shop") == event)
    }
}
