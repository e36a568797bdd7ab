import BridgeCore
import Testing

@Suite("Personal data scanner")
struct PersonalDataScannerTests {
    let scanner = PersonalDataScanner()

    @Test(
        "finds personal data in clear text",
        arguments: [
            ("john.doe+tag@GMail.com", PersonalDataKind.email),
            ("contact: ünïcödé@exämple.com.", .email),
            ("mailto:ops@sub.example.co.uk", .email),
            ("+1 (650) 555-1234", .phone),
            ("+16505551234", .phone),
            ("tel:+44 20 7946 0958", .phone),
            ("(650) 555-1234", .phone),
            ("06 12 34 56 78", .phone),
            ("16505551234", .phone),
            ("4915112345678", .phone),
            ("030/12345678", .phone),
            ("203.0.113.7", .ipv4),
            ("from 192.168.1.10, retry", .ipv4),
            ("http://10.0.0.1:8080/x", .ipv4),
            ("2001:db8:85a3::8a2e:370:7334", .ipv6),
            ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", .ipv6),
            ("fe80::1", .ipv6),
            ("[2001:db8::1]:443", .ipv6),
            ("::ffff:192.0.2.128", .ipv6),
        ])
    func finds(text: String, kind: PersonalDataKind) {
        #expect(scanner.kinds(inText: text) == [kind])
    }

    @Test(
        "stays quiet on digests, ids, times and other numbers",
        arguments: [
            "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f",
            "hmac-sha256:3f1a9c0e5b7d2468ace013579bdf2468ace013579bdf2468ace0135792468ace",
            "hmac-sha256:1234567890123456789012345678901234567890123456789012345678901234",
            "1773500720381", "1773500720", "2026-03-14T15:05:12.381Z", "2026-03-14", "14.03.2026", "2026/03/14",
            "1234567.89", "order-820982911946154508", "820982911946154508", "fb.1.1554763741205.IwAR2F4-dbP0l7Mn1Iaw",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36",
            "15:05:12", "00:1a:2b:3c:4d:5e", "https://shop.example.com/orders/12345678?ref=98765432",
            "urn:lla:llaPartnerConversion:123456789", "v21.0", "1.2.3.4.5", "300.1.1.1", "Foo::Bar", "::",
            "sha256:12345678abcdef", "TEST12345678", "sale:shop-eu:820982911946154508", "refund:shop-eu:12345678:87654321", "1,234,567", "user@localhost", "a@b.c",
        ])
    func quiet(text: String) {
        #expect(scanner.kinds(inText: text).isEmpty, "\(text)")
    }

    @Test("bare digits under id-, time- and amount-like keys are not phones; with + they are")
    func keyContext() {
        for key in ["order_id", "event_ids", "eventId", "event_time", "sent_at", "timestamp_ms", "value", "seq", "content_ids"] {
            #expect(scanner.kinds(inText: "10045678", key: key).isEmpty, "\(key)")
        }
        #expect(scanner.kinds(inText: "10045678", key: "ph") == [.phone])
        #expect(scanner.kinds(inText: "10045678", key: "phone_number") == [.phone])
        #expect(scanner.kinds(inText: "+4915112345678", key: "external_id") == [.phone])
        #expect(scanner.kinds(inText: "me@example.com", key: "order_id") == [.email])
    }

    @Test("scans JSON values and keys and points at them without the value")
    func json() throws {
        let line = """
            {"seq":1,"event_time":1773500720,"n":16505551234,"ok":1773500720381,"list":["x","+33 6 12 34 56 78"],\
            "nested":{"ip":"198.51.100.23"},"by_email":{"a@example.org":1},"value":12345678,"price":1234567.89}
            """
        let findings = scanner.scan(line: line)
        #expect(findings == [
            PersonalDataFinding(kind: .email, pointer: "/by_email/a@example.org", inKey: true),
            PersonalDataFinding(kind: .phone, pointer: "/list/1"),
            PersonalDataFinding(kind: .phone, pointer: "/n"),
            PersonalDataFinding(kind: .ipv4, pointer: "/nested/ip"),
        ])
        #expect(findings.map(\.description) == [
            "email in key of /by_email/a@example.org", "phone in /list/1", "phone in /n", "ipv4 in /nested/ip",
        ])
    }

    @Test("a line that is not JSON is scanned as text")
    func plainText() {
        #expect(scanner.scan(line: "not json: call +1 650 555 1234") == [PersonalDataFinding(kind: .phone, pointer: "")])
    }

    @Test("redacting replaces each match and keeps the rest")
    func redacting() {
        #expect(scanner.redacting("user john@example.com from 203.0.113.7 (+1 650-555-1234) at 2026-03-14T12:00:00Z")
            == "user [email] from [ip] ([phone]) at 2026-03-14T12:00:00Z")
        #expect(scanner.redacting("nothing here") == "nothing here")
        #expect(scanner.redacting("ip 2001:db8::1 and é@exämple.com") == "ip [ip] and [email]")
    }
}
