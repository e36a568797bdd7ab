import BridgeCore
import Testing

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    @Test(
        "parses offsets and fractions",
        arguments: [
            ("2026-01-01T12:00:00Z", Int64(1_767_268_800_000)),
            ("2026-03-14T10:21:07-04:00", Int64(1_773_498_067_000)),
            ("2026-03-14T15:05:20.381Z", Int64(1_773_500_720_381)),
            ("2026-03-14T15:05:20.381999999Z", Int64(1_773_500_720_381)),
            ("1970-01-01T00:00:00+00:00", Int64(0)),
            ("2024-02-29T00:00:00Z", Int64(1_709_164_800_000)),
        ])
    func parses(text: String, millis: Int64) throws {
        #expect(try #require(Timestamp(rfc3339: text)).millisecondsSinceEpoch == millis)
    }

    @Test(
        "refuses malformed or impossible times",
        arguments: ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01 12:00", "2026-01-01T12:00:00",
            "2026-01-01T12:00:00+0100", "2026-01-01T12:00:00.Z", "", "2025-02-29T00:00:00Z", "2026-01-01T12:00:00Zjunk"])
    func refuses(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("reads offset-less strings as UTC only when asked (WooCommerce *_gmt)")
    func assumeUTC() {
        #expect(Timestamp(rfc3339: "2026-03-14T14:59:02", assumeUTC: true)?.rfc3339 == "2026-03-14T14:59:02Z")
    }

    @Test("formats back in UTC, round-tripping")
    func roundTrip() throws {
        for millis: Int64 in [0, 1_773_500_720_381, -86_400_001, 4_102_444_800_000] {
            let stamp = Timestamp(millisecondsSinceEpoch: millis)
            #expect(Timestamp(rfc3339: stamp.rfc3339) == stamp)
        }
    }
}
