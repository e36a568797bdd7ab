import Foundation
import Testing

@testable import BridgeCore

/// libphonenumber's example numbers (every region, mobile, fixed line and
/// toll free; national format with the region, international without),
/// with the E.164 the real library gives: `fixtures/identifiers/phone-examples.json`.
struct PhoneExample: Sendable, CustomStringConvertible {
    let input: String
    let region: String?
    let expected: String

    var description: String { "\(region ?? "intl") \(input)" }

    static let all: [PhoneExample] = {
        let url = IdentifierVectorFile.url.deletingLastPathComponent().appendingPathComponent("phone-examples.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rows = object["examples"] as? [[Any]]
        else { return [] }
        return rows.compactMap { row in
            guard row.count == 3, let input = row[0] as? String, let expected = row[2] as? String else { return nil }
            return PhoneExample(input: input, region: row[1] as? String, expected: expected)
        }
    }()
}

@Suite("Phone parsing agrees with libphonenumber")
struct PhoneExampleTests {
    /// Where the port knowingly differs from libphonenumber, and why.
    static let knownDifferences: [String: String] = [
        // Belarus toll-free numbers start with 80, and '8' is also Belarus's
        // trunk prefix. libphonenumber keeps the 8 because its full per-region
        // pattern says the number is valid as written; the port judges
        // viability by length only, and both lengths are possible.
        "+375 801 123 4567": "length-based viability check strips Belarus's trunk 8 from an 80x toll-free number"
    ]

    @Test("the example file covers every region")
    func fileLoads() {
        #expect(PhoneExample.all.count > 1000)
    }

    @Test("libphonenumber's example numbers parse to the library's E.164", arguments: PhoneExample.all)
    func example(_ example: PhoneExample) {
        if Self.knownDifferences[example.input] != nil { return }
        let result = IdentifierNormalizer.normalize(.phone, example.input, for: .google, region: example.region)
        if example.expected.hasPrefix("!") {
            #expect(result == .dropped(DropReason(rawValue: String(example.expected.dropFirst())) ?? .invalidPhone))
        } else {
            #expect(result == .value(example.expected))
        }
    }
}
