import BridgeCore
import Foundation
import Testing

@Suite("Canonical event and its schema")
struct CanonicalEventTests {
    let schema = CanonicalEventSchema.compiled

    func event(_ json: String) throws -> JSONValue { try JSONParser.parse(json) }

    @Test("the embedded schema is the published file, byte for byte")
    func embeddedSchemaMatchesFile() throws {
        let file = String(decoding: try CoreTestPaths.bytes("config/schema/conversion-event.schema.json"), as: UTF8.self)
        #expect(file.trimmingCharacters(in: .newlines) == CanonicalEventSchema.text)
    }

    @Test("every Standard Webhooks fixture's data is a valid canonical event", arguments: [
        "purchase.json", "refund.json", "purchase-test.json", "purchase-guest-no-identifiers.json",
    ])
    func fixturesDecode(file: String) throws {
        let document = try JSONParser.parse(try CoreTestPaths.bytes("fixtures/sources/standard-webhooks/" + file))
        let data = try #require(document["data"])
        let event = try ConversionEvent.decode(canonical: data, source: "backend", schema: schema)
        #expect(event.eventID == data["event_id"]?.stringValue)
        #expect(event.value?.formattedAmount == data["value"]?.stringValue)
        #expect(event.isTest == (data["test"]?.boolValue ?? false))
    }

    @Test("decodes every field of the full purchase")
    func fullPurchase() throws {
        let document = try JSONParser.parse(try CoreTestPaths.bytes("fixtures/sources/standard-webhooks/purchase.json"))
        let event = try ConversionEvent.decode(canonical: try #require(document["data"]), source: "backend", schema: schema)
        #expect(event.eventName == .purchase)
        #expect(event.eventTime.rfc3339 == "2026-03-14T15:05:12Z")
        #expect(event.value == Money(amount: Money.Amount(minorUnits: 12990, exponent: 2), currency: Currency(code: "EUR")!))
        #expect(event.lineItems.count == 3)
        #expect(event.lineItems[1].unitPrice?.description == "89.9")
        #expect(Set(event.customer.values.keys) == Set(CustomerField.allCases))
        #expect(event.customer[.email]?.rawValue == "noah.schmidt@example.de")
        #expect(event.client.clickIDs[.fbp] != nil && event.client.clickIDs[.fbc] != nil)
        #expect(event.consent.adUserData == .granted && event.consent.gpc == false)
    }

    @Test(
        "schema violations name the JSON pointer",
        arguments: [
            (#"{"event_name":"Purchase","event_time":"2026-01-01T00:00:00Z"}"#, "/event_id"),
            (#"{"event_id":"a","event_name":"Buy","event_time":"2026-01-01T00:00:00Z"}"#, "/event_name"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"yesterday"}"#, "/event_time"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","value":19.9,"currency":"EUR"}"#, "/value"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","value":"19.90"}"#, "/currency"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","customer":{"email":5}}"#, "/customer/email"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","line_items":[{"id":"x","quantity":0}]}"#, "/line_items/0/quantity"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","consent":{"ad_user_data":"yes"}}"#, "/consent/ad_user_data"),
            (#"{"event_id":"has space","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z"}"#, "/event_id"),
            (#"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","schema_version":2}"#, "/schema_version"),
        ])
    func violations(json: String, pointer: String) throws {
        let value = try event(json)
        do throws(EventValidationError) {
            _ = try ConversionEvent.decode(canonical: value, source: "s", schema: schema)
            Issue.record("expected a violation at \(pointer)")
        } catch {
            #expect(error.violations.map(\.pointer.description).contains(pointer), "got \(error)")
        }
    }

    @Test(
        "the currency's minor unit is enforced beyond the schema",
        arguments: [("4980.5", "JPY", false), ("4980.00", "JPY", true), ("1.005", "EUR", false), ("12.340", "KWD", true), ("1.00", "XYZ", false)])
    func minorUnits(value: String, currency: String, valid: Bool) throws {
        let json = #"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","value":"\#(value)","currency":"\#(currency)"}"#
        let result = Result { try ConversionEvent.decode(canonical: try event(json), source: "s", schema: schema) }
        let decoded = (try? result.get()) != nil
        #expect(decoded == valid)
    }

    @Test("splitting into clear and sealed parts loses nothing and keeps personal data out of the clear part")
    func storageRoundTrip() throws {
        let document = try JSONParser.parse(try CoreTestPaths.bytes("fixtures/sources/standard-webhooks/purchase.json"))
        let event = try ConversionEvent.decode(canonical: try #require(document["data"]), source: "backend", schema: schema)
        let clear = event.canonicalJSON(includeIdentifiers: false)
        let clearText = JSONWriter.string(clear)
        // Values long enough to be recognisable (gender "m" occurs in any text).
        for value in event.customer.values.values where value.rawValue.count >= 3 { #expect(!clearText.contains(value.rawValue)) }
        #expect(!clearText.contains("198.51.100.61"))
        let restored = ConversionEvent.restore(clear: clear, identifiers: event.identifiersJSON, source: "backend")
        #expect(restored == event)
        #expect(schema.validate(event.canonicalJSON()).isEmpty, "the canonical form validates against the schema")
    }

    @Test("the Google Analytics client and session ids are personal data: sealed with the identifiers, restored intact")
    func gaIdentifiers() throws {
        let json = try event(
            #"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","client":{"ga_client_id":"GA1.1.1234567890.1795132000","ga_session_id":"1795131000"}}"#)
        let event = try ConversionEvent.decode(canonical: json, source: "backend", schema: schema)
        #expect(event.client.gaClientID?.rawValue == "GA1.1.1234567890.1795132000")
        #expect(event.client.gaSessionID?.rawValue == "1795131000")
        let clear = event.canonicalJSON(includeIdentifiers: false)
        #expect(!JSONWriter.string(clear).contains("1234567890"))
        #expect(try JSONParser.parse(event.identifiersJSONBytes()) == event.identifiersJSON)
        #expect(ConversionEvent.restore(clear: clear, identifiers: event.identifiersJSON, source: "backend") == event)
        let long = try self.event(
            #"{"event_id":"a","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","client":{"ga_client_id":""# + String(repeating: "1", count: 129) + #""}}"#)
        #expect(schema.validate(long).map(\.pointer.description) == ["/client/ga_client_id"])
    }

    @Test("the direct outbox serializers write the same JSON as the canonical form")
    func directSerializers() throws {
        for file in ["purchase.json", "refund.json", "purchase-test.json", "purchase-guest-no-identifiers.json"] {
            let document = try JSONParser.parse(try CoreTestPaths.bytes("fixtures/sources/standard-webhooks/" + file))
            let event = try ConversionEvent.decode(canonical: try #require(document["data"]), source: "backend", schema: schema)
            #expect(try JSONParser.parse(event.clearJSONBytes()) == event.canonicalJSON(includeIdentifiers: false))
            #expect(try JSONParser.parse(event.identifiersJSONBytes()) == event.identifiersJSON)
        }
    }

    @Test("personal data prints as <redacted>")
    func redaction() {
        let email = PersonalData("noah@example.de")
        #expect("\(email)" == "<redacted>")
        #expect(String(reflecting: email) == "<redacted>")
        var customer = CustomerIdentifiers()
        customer.fill(.email, with: "noah@example.de")
        var dumped = ""
        dump(customer, to: &dumped)
        #expect(!dumped.contains("noah"))
    }
}
