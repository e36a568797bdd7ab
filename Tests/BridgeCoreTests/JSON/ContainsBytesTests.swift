import BridgeCore
import Testing

@Suite("Byte search in strings")
struct ContainsBytesTests {
    @Test("Finds an ASCII needle anywhere, including at both ends and in non-ASCII text")
    func finds() {
        #expect("utm_source=x".containsBytes("utm_"))
        #expect("/p?a=1&utm_".containsBytes("utm_"))
        #expect("größe&ümlaut".containsBytes("&"))
        #expect("a".containsBytes(""))
    }

    @Test("Misses a needle that is absent, longer than the text or only partly present")
    func misses() {
        #expect(!"https://shop.example/p".containsBytes("utm_"))
        #expect(!"ut".containsBytes("utm_"))
        #expect(!"utmutm_x".dropLast(2).description.containsBytes("utm_"))
        #expect(!"".containsBytes(":"))
    }

    @Test("Answers like String.contains for ASCII needles on a corpus of texts")
    func agrees() {
        let texts = ["", "utm_", "xutm", "a&b", "&", "é:é", "UTM_", "u t m _", "ab:cd", "::", "größe", "utm-source"]
        for text in texts {
            #expect(text.containsBytes("utm_") == text.contains("utm_"), "\(text)")
            #expect(text.containsBytes("&") == text.contains("&"), "\(text)")
            #expect(text.containsBytes(":") == text.contains(":"), "\(text)")
        }
    }
}
