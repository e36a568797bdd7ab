import Testing

@testable import BridgeDestinations

@Suite("HTTP URL text check")
struct HTTPURLTextTests {
    @Test("Accepts http and https URLs with a host, in any letter case", arguments: [
        "https://shop.example/p/1?utm_source=x", "http://shop.example", "HTTPS://Shop.Example/", "Http://h#frag", "https://bücher.example/ä",
    ])
    func accepts(_ text: String) {
        #expect(HTTPURLText.isHTTP(text))
    }

    @Test("Refuses other schemes, a missing host and any white space, ASCII or not", arguments: [
        "ftp://shop.example", "https://", "https:///path", "https://?q", "https://#f", "//shop.example", "https:/shop.example",
        "https://shop.example/a b", "https://shop.example/\tx", "https://shop.example/\u{00A0}x", "https://shop.example/\u{3000}",
        "https\u{1A}//shop.example", "httpsx://shop.example", "",
    ])
    func refuses(_ text: String) {
        #expect(!HTTPURLText.isHTTP(text))
    }
}
