import BridgeCore
import Foundation
import Testing

@Suite("Encoding payload types straight to JSON bytes")
struct JSONBytesEncoderTests {
    struct UserData: Encodable {
        let em: [String]?
        let client_ip_address: ClearText?
        let fbc: ClearText?
    }

    struct Item: Encodable {
        let event_name: String
        let event_time: Int64
        let value: JSONNumberText?
        let test: Bool
        let user_data: UserData
        let contents: [Content]
        let note: String?
    }

    struct Content: Encodable {
        let id: String
        let quantity: Int
    }

    let item = Item(
        event_name: "Purchase", event_time: 1_773_500_712, value: JSONNumberText("34.00"), test: false,
        user_data: UserData(em: ["62a1"], client_ip_address: ClearText("203.0.113.9"), fbc: ClearText("fb.1.2.\"quoted\"")),
        contents: [Content(id: "BK-1", quantity: 2), Content(id: "SHIP", quantity: 1)], note: nil)

    @Test("members in declaration order, nil left out, numbers exactly as given, strings escaped")
    func bytes() throws {
        let encoded = try JSONBytesEncoder.encode(item)
        #expect(
            encoded.text
                == #"{"event_name":"Purchase","event_time":1773500712,"value":34.00,"test":false,"user_data":{"em":["62a1"],"client_ip_address":"203.0.113.9","fbc":"fb.1.2.\"quoted\""},"contents":[{"id":"BK-1","quantity":2},{"id":"SHIP","quantity":1}]}"#)
        // It is JSON, and the same JSON Foundation reads
        let parsed = try JSONParser.parse(encoded.bytes)
        #expect(parsed["user_data"]?["fbc"]?.stringValue == "fb.1.2.\"quoted\"")
        #expect(try JSONSerialization.jsonObject(with: Data(encoded.bytes)) is [String: Any])
    }

    @Test("clear values are recorded where they were written and can be replaced by digests without parsing")
    func clearSpans() throws {
        let encoded = try JSONBytesEncoder.encode(item)
        #expect(encoded.clearSpans.map(\.value) == ["203.0.113.9", "fb.1.2.\"quoted\""])
        for span in encoded.clearSpans {
            #expect(try JSONParser.parse(Array(encoded.bytes[span.range])).stringValue == span.value)
        }
        let audited = EncodedJSON(bytes: encoded.bytes, clearSpans: encoded.clearSpans).replacingClearValues { "hmac:" + String($0.count) }
        let parsed = try JSONParser.parse(audited)
        #expect(parsed["user_data"]?["client_ip_address"]?.stringValue == "hmac:11")
        #expect(parsed["user_data"]?["fbc"]?.stringValue == "hmac:15")
        #expect(!String(decoding: audited, as: UTF8.self).contains("203.0.113.9"))
    }

    @Test("a fragment is written as is inside an envelope, its clear spans moved with it")
    func fragments() throws {
        struct Envelope: Encodable {
            let data: [JSONFragment]
            let partner_agent: String
        }
        let first = try JSONBytesEncoder.encode(item)
        let envelope = try JSONBytesEncoder.encode(Envelope(data: [JSONFragment(first), JSONFragment(first)], partner_agent: "p"))
        #expect(envelope.text == #"{"data":["# + first.text + "," + first.text + #"],"partner_agent":"p"}"#)
        #expect(envelope.clearSpans.count == 4)
        for span in envelope.clearSpans {
            #expect(try JSONParser.parse(Array(envelope.bytes[span.range])).stringValue == span.value)
        }
    }

    @Test("dictionaries, empty collections and non-finite numbers")
    func edges() throws {
        #expect(try JSONBytesEncoder.encode(["a": 1]).text == #"{"a":1}"#)
        #expect(try JSONBytesEncoder.encode([Int]()).text == "[]")
        #expect(try JSONBytesEncoder.encode([String: Int]()).text == "{}")
        #expect(try JSONBytesEncoder.encode(2.5).text == "2.5")
        #expect(throws: EncodingError.self) { try JSONBytesEncoder.encode(Double.nan) }
    }

    struct Price: Encodable {
        let amounts: [Double]
    }

    struct Order: Encodable {
        let id: String
        let price: Price
    }

    @Test("an error names the path to the value (kept as a stack, not built for every value)")
    func errorPath() throws {
        let order = Order(id: "A-1", price: Price(amounts: [1.5, .infinity]))
        do {
            _ = try JSONBytesEncoder.encode([order])
            Issue.record("a non-finite amount must not encode")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["price", "amounts"])
        }
        // The encoder is usable again: nothing of the failed value's frames is left behind.
        #expect(try JSONBytesEncoder.encode(Order(id: "A-2", price: Price(amounts: [1, 2.25]))).text == #"{"id":"A-2","price":{"amounts":[1,2.25]}}"#)
    }
}
