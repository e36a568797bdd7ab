import BridgeCore
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("keeps numbers as their exact text, including ids above 2^53")
    func numbersKeepTheirText() throws {
        let value = try JSONParser.parse(#"{"id":820982911946154508,"amount":19.90,"e":1e-7,"neg":-0}"#)
        #expect(value["id"] == .number("820982911946154508"))
        #expect(value["amount"] == .number("19.90"))
        #expect(value["e"] == .number("1e-7"))
        #expect(value["neg"] == .number("-0"))
    }

    @Test("decodes escapes, surrogate pairs and raw UTF-8")
    func strings() throws {
        let value = try JSONParser.parse(#"["Zo\u00eb","https:\/\/x","😀 \ud83d\ude00","tab\there","Zoë"]"#)
        #expect(value[0]?.stringValue == "Zoë")
        #expect(value[1]?.stringValue == "https://x")
        #expect(value[2]?.stringValue == "😀 😀")
        #expect(value[3]?.stringValue == "tab\there")
        #expect(value[4]?.stringValue == "Zoë")
    }

    @Test(
        "rejects malformed documents with the byte offset",
        arguments: [
            ("", 0), ("{", 1), ("{\"a\":}", 5), ("[1,]", 3), ("{\"a\":1,\"a\":2}", 7), ("01", 1), ("1.", 2), ("\"\\ud800\"", 7),
            ("\"\\x\"", 3), ("tru", 0), ("{} {}", 3), ("\"a\u{01}\"", 2), ("[1e]", 3), ("-", 1), ("\"abc", 4),
        ])
    func rejectsMalformed(input: String, offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        do {
            _ = try JSONParser.parse(input)
        } catch {
            #expect(error.offset == offset, "offset for \(input.debugDescription)")
        }
    }

    @Test("rejects invalid UTF-8 inside strings")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    }

    @Test("refuses nesting deeper than the limit instead of exhausting the stack")
    func deepNesting() throws {
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(ok)
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(hostile) }
    }

    @Test("random byte strings never crash the parser")
    func fuzz() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array(#"{}[]":,0123456789.-+eEtrufalsn \u\"\\abc"#.utf8) + [0xC3, 0xA9, 0xFF, 0x00]
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? JSONParser.parse(bytes)
        }
    }

    @Test("writer output parses back to the same value")
    func roundTrip() throws {
        let text = #"{"b":[1,2.50,{"c":null}],"a":"x\"y\\z\n","d":true,"e":"Zoë\u0001"}"#
        let value = try JSONParser.parse(text)
        let written = JSONWriter.string(value)
        #expect(try JSONParser.parse(written) == value)
        #expect(written.hasPrefix(#"{"a":"#), "keys are written sorted")
    }

    @Test("JSON pointers escape and resolve per RFC 6901")
    func pointers() throws {
        let doc = try JSONParser.parse(#"{"a/b":{"m~n":[10,20]}}"#)
        let pointer = JSONPointer(["a/b", "m~n", "1"])
        #expect(pointer.description == "/a~1b/m~0n/1")
        #expect(JSONPointer(parsing: pointer.description) == pointer)
        #expect(pointer.resolve(in: doc) == .number("20"))
        #expect(JSONPointer(parsing: "no-slash") == nil)
    }
}
