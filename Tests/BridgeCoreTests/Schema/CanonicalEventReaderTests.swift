import BridgeCore
import Foundation
import Testing

/// The one-pass reader and the schema path agree: what the reader accepts,
/// the schema accepts and decodes to the same event; what the schema refuses,
/// the reader never accepts (it leaves it to the schema path, which names the
/// error).
@Suite("Canonical events read in one pass agree with the schema")
struct CanonicalEventReaderTests {
    static let base = #"""
        {"event_id":"sale:shop:1001","event_name":"Purchase","event_time":"2026-03-14T15:05:12Z","order_id":"1001","value":"129.90","currency":"EUR","line_items":[{"id":"BK-1","name":"Zauberberg","quantity":2,"unit_price":"34.00"},{"id":"SHIP","quantity":1}],"customer":{"email":"Zoë@Example.com","phone":"+49 151 23456789","first_name":"Zoë","last_name":null,"city":"Hamburg","postal_code":"20095","country":"DE","external_id":"c-1"},"client":{"ip_address":"203.0.113.9","user_agent":"Mozilla/5.0","landing_url":"https://shop.example/p?fbclid=abc","ga_client_id":"1.2","click_ids":{"fbc":"fb.1.2.abc","gclid":"Cj0","ttclid":null}},"consent":{"ad_user_data":"granted","ad_personalization":"denied","gpc":false,"tcf_string":null,"us_privacy":"1YNN","gpp_string":"  "},"test":false}
        """#

    /// `base` with `replacement` for `original` (each must occur once).
    static func variant(_ original: String, _ replacement: String) -> String {
        precondition(base.components(separatedBy: original).count == 2, "\(original) must occur once")
        return base.replacingOccurrences(of: original, with: replacement)
    }

    /// Valid events the reader must take itself (the fast path).
    static let valid: [String] = [
        base,
        #"{"event_id":"a","event_name":"Lead","event_time":"2026-03-14T15:05:12+02:00"}"#,
        #"{"event_time":"2026-03-14T15:05:12.5Z","event_name":"Refund","event_id":"r:1","value":"0","currency":"JPY","test":null}"#,
        variant(#""order_id":"1001""#, #""order_id":null"#),
        variant(#""line_items":[{"id":"BK-1","name":"Zauberberg","quantity":2,"unit_price":"34.00"},{"id":"SHIP","quantity":1}]"#, #""line_items":null"#),
        variant(#""customer":{"email"#, #""customer":{"gender":"f","state":"HH","date_of_birth":"1990-01-01","email"#),
        variant(#""client":{"ip_address":"203.0.113.9""#, #""client":{"ip_address":"   ","ga_session_id":"17""#),
        variant(#""consent":{"ad_user_data":"granted""#, #""consent":{"ad_user_data":null"#),
        variant(#""event_id":"sale:shop:1001""#, #""event_id":"\#(String(repeating: "x", count: 256))""#),
        variant(#""name":"Zauberberg""#, #""name":"\u00e9t\u00e9 \"quoted\" \\ \ud83d\ude00""#),
        variant(#""unit_price":"34.00""#, #""unit_price":"-1.5""#),
        // Unknown properties: ignored by default (and listed), by both paths.
        variant(#""external_id":"c-1""#, #""external_id":"c-1","loyalty":"gold""#),
        variant(#""gclid":"Cj0""#, #""gclid":"Cj0","msclkid":"x""#),
        variant(#""test":false"#, #""test":false,"extra":1"#),
    ]

    /// Invalid events: the schema refuses each.
    static let invalid: [String] = [
        variant(#""event_id":"sale:shop:1001""#, #""event_id":"sale shop""#),
        variant(#""event_id":"sale:shop:1001""#, #""event_id":"""#),
        variant(#""event_id":"sale:shop:1001""#, #""event_id":"\#(String(repeating: "x", count: 257))""#),
        variant(#""event_id":"sale:shop:1001""#, #""event_id":1001"#),
        variant(#""event_name":"Purchase""#, #""event_name":"purchase""#),
        variant(#""event_time":"2026-03-14T15:05:12Z""#, #""event_time":"2026-03-14 15:05:12""#),
        variant(#""value":"129.90""#, #""value":129.90"#),
        variant(#""value":"129.90""#, #""value":"129.905""#),
        variant(#""value":"129.90""#, #""value":"0129.90""#),
        variant(#""currency":"EUR""#, #""currency":"eur""#),
        variant(#""currency":"EUR""#, #""currency":"XXY""#),
        variant(#""value":"129.90","currency":"EUR","#, #""value":"129.90","#),
        variant(#""quantity":2"#, #""quantity":0"#),
        variant(#""quantity":2"#, #""quantity":"2""#),
        variant(#""quantity":2"#, #""quantity":1000001"#),
        variant(#""unit_price":"34.00""#, #""unit_price":"34.001""#),
        variant(#"{"id":"SHIP","quantity":1}"#, #"{"quantity":1}"#),
        variant(#""external_id":"c-1""#, #""external_id":"\#(String(repeating: "é", count: 513))""#),
        variant(#""ip_address":"203.0.113.9""#, #""ip_address":"203.0.113.9","ip_address":"203.0.113.10""#),
        variant(#""ad_user_data":"granted""#, #""ad_user_data":"yes""#),
        variant(#""us_privacy":"1YNN""#, #""us_privacy":"\#(String(repeating: "1", count: 17))""#),
        variant(#""test":false"#, #""test":"false""#),
        variant(#""order_id":"1001""#, #""order_id":1001"#),
        #"{"event_id":"a","event_name":"Lead"}"#,
        #"["not","an","object"]"#,
        #"{"event_id":"a","event_name":"Lead","event_time":"2026-03-14T15:05:12Z""#,
    ]

    /// Events the schema accepts but the reader leaves to the schema path.
    static let leftToTheSchema: [String] = [
        variant(#""gpp_string":"  ""#, #""gpp_string":"  ","source_signals":{"shopify.buyer_accepts_marketing":"true"}"#),
        variant(#""value":"129.90""#, #""value":null"#),
    ]

    /// The schema path: what `ConversionEvent.decode` makes of `text`, or `nil`.
    static func schemaPath(_ text: String) -> ConversionEvent? {
        guard let document = try? JSONParser.parse(text) else { return nil }
        return try? ConversionEvent.decode(canonical: document, source: "backend", schema: CanonicalEventSchema.compiled)
    }

    /// The reader, on the event wrapped in a batch.
    static func reader(_ text: String) -> ConversionEvent? {
        CanonicalEventReader.batch(Array(#"{"events":[\#(text)]}"#.utf8), source: "backend", limit: 1000)?.events.first
    }

    @Test("valid events are read in one pass into the same event as the schema path", arguments: valid.indices)
    func validEvents(_ index: Int) throws {
        let text = Self.valid[index]
        let expected = try #require(Self.schemaPath(text), "the schema accepts case \(index)")
        #expect(Self.reader(text) == expected)
    }

    @Test("invalid events are never accepted by the reader", arguments: invalid.indices)
    func invalidEvents(_ index: Int) {
        let text = Self.invalid[index]
        #expect(Self.schemaPath(text) == nil, "the schema refuses case \(index)")
        #expect(Self.reader(text) == nil)
    }

    @Test("what the reader leaves aside the schema path still decides", arguments: leftToTheSchema.indices)
    func leftAside(_ index: Int) {
        #expect(Self.reader(Self.leftToTheSchema[index]) == nil)
        #expect(Self.schemaPath(Self.leftToTheSchema[index]) != nil || index == 1)
    }

    @Test("byte-level mutations of valid events: whatever the reader accepts, the schema accepts as the same event")
    func mutations() {
        var random = SplitMix64(seed: 0xCA91)
        let alphabet = Array(#"{}[]",:0123456789.-eE tnufalsrbx\/"#.utf8)
        var accepted = 0
        for round in 0..<4000 {
            var bytes = Array(Self.valid[round % Self.valid.count].utf8)
            for _ in 0...(round % 3) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let fast = Self.reader(text) else { continue }
            accepted += 1
            #expect(Self.schemaPath(text) == fast, "mutation \(round) read differently")
        }
        #expect(accepted > 100, "the mutations left the reader something to accept")
    }

    @Test("a Standard Webhooks envelope: the conversion's event, another type ignored, a malformed one left to the tree path")
    func envelope() throws {
        let body = #"{"type":"conversion.purchase","timestamp":"2026-03-14T15:05:13Z","data":\#(Self.base)}"#
        let read = try #require(CanonicalEventReader.envelope(Array(body.utf8), source: "backend"))
        #expect(read.type == "conversion.purchase" && read.read?.events.first == Self.schemaPath(Self.base))
        let other = try #require(CanonicalEventReader.envelope(Array(#"{"data":{"x":1},"type":"customer.created"}"#.utf8), source: "b"))
        #expect(other.type == "customer.created" && other.read == nil)
        #expect(CanonicalEventReader.envelope(Array(#"{"type":"conversion.purchase"}"#.utf8), source: "b") == nil)
        #expect(CanonicalEventReader.envelope(Array(#"{"type":"conversion.purchase","data":{}}"#.utf8), source: "b") == nil)
    }
}
