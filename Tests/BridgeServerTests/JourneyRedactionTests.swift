import BridgeCore
import BridgeServer
import BridgeStore
import Testing

/// What a journey shows of platform messages and identifiers: kinds and
/// redacted text only.
@Suite("One sale's journey: redaction")
struct JourneyRedactionTests {
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    @Test("platform messages that echo an e-mail, phone or IP are redacted; identifiers appear as kinds; the table says the same")
    func redacted() throws {
        var event = ConversionEvent(
            eventID: "sale:shop:77", eventName: .purchase, eventTime: t0, source: "shop", orderID: "77",
            value: Money(amount: try #require(Money.Amount("42.00")), currency: try #require(Currency(code: "EUR"))))
        event.customer.fill(.email, with: "echo.me@example.net")
        let record = JourneyRecord(
            event: JourneyRecord.Arrival(
                sequence: 9, source: "shop", eventID: "sale:shop:77", eventName: "Purchase", eventTime: t0, receivedAt: t0, isTest: false,
                body: StoredEventCodec.clearBytes(event), orderID: "77", deliveryKeys: ["wh-1"], duplicatesSeen: 0, lastDuplicateAt: nil,
                duplicateKeys: [], preparedAt: t0, identifiersSealed: false),
            deliveries: [
                JourneyRecord.Delivery(
                    destination: "meta", state: "dead", preparedAt: t0, consentAction: "send", consentReason: "granted_consent_mode",
                    skipReason: nil, identifiers: IdentifierSet(mask: 0b11), enriched: IdentifierSet(), dropped: IdentifierSet(), enrichedBy: [:],
                    attempts: 2, nextAttemptAt: nil, lastStatus: 400, lastError: "invalid user_data for echo.me@example.net from 203.0.113.9",
                    deliveredAt: nil, batchID: nil, deadCode: "invalid_parameter", deadAt: t0.advanced(by: .seconds(30)),
                    attemptLog: [
                        DeliveryAttemptLog.Entry(
                            at: t0.advanced(by: .seconds(10)), outcome: .retry, status: 503, nextAttemptAt: t0.advanced(by: .seconds(30)),
                            detail: "upstream said +49 151 23456789 is busy"),
                        DeliveryAttemptLog.Entry(
                            at: t0.advanced(by: .seconds(30)), outcome: .deadLetter, status: 400,
                            detail: "invalid_parameter: invalid user_data for echo.me@example.net"),
                    ])
            ])
        let journey = EventJourney(record, sourceKinds: ["shop": "shopify"], eventsAPISource: "events-api", audit: nil)
        let json = JSONWriter.string(journey.json)
        for output in [json, journey.table] {
            #expect(!output.contains("echo.me@example.net"))
            #expect(!output.contains("203.0.113.9"))
            #expect(!output.contains("23456789"))
            #expect(output.contains("invalid_parameter"))
        }
        #expect(json.contains("[email]"))
        #expect(journey.json["source_kind"]?.stringValue == "shopify")
        #expect(journey.json["value"]?.stringValue == "42")
        let destination = try #require(journey.json["destinations"]?[0])
        #expect(destination["dead_letter"]?["code"]?.stringValue == "invalid_parameter")
        #expect(destination["attempts"]?.arrayValue?.map { $0["outcome"]?.stringValue } == ["retry", "dead_letter"])
        #expect(destination["identifiers_sent"]?.arrayValue?.isEmpty == false)
        #expect(journey.table.contains("dead letter invalid_parameter"))
    }
}
