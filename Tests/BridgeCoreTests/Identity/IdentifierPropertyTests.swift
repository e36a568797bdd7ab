import Testing

@testable import BridgeCore

@Suite("Identifier normalization properties (seeded random inputs)")
struct IdentifierPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 2026]
    static let iterations = 400

    @Test("normalizing twice equals normalizing once", arguments: seeds)
    func idempotent(seed: UInt64) {
        var g = IdentifierRandom(seed: seed)
        for _ in 0..<Self.iterations {
            for field in CustomerField.allCases {
                let raw = IdentifierFuzz.value(for: field.rawValue, &g)
                let region = ["US", "DE", "GB", "FR", nil].randomElement(using: &g) ?? nil
                for platform in Platform.allCases {
                    guard case .value(let once) = IdentifierNormalizer.normalize(field, raw, for: platform, region: region)
                    else { continue }
                    // Digits-only phones carry no '+'; their fixed point is with the '+' restored.
                    let again = field == .phone && !once.hasPrefix("+") ? "+" + once : once
                    let twice = IdentifierNormalizer.normalize(field, again, for: platform, region: region)
                    #expect(twice == .value(once), "seed \(seed): \(platform) \(field)")
                }
            }
        }
    }

    @Test("every hashed wire value is 64 lowercase hex and never the raw input", arguments: seeds)
    func hashesAreDigests(seed: UInt64) {
        var g = IdentifierRandom(seed: seed)
        for _ in 0..<Self.iterations {
            for field in CustomerField.allCases {
                let raw = IdentifierFuzz.value(for: field.rawValue, &g)
                for platform in Platform.allCases {
                    guard let sent = IdentifierPreparer.prepare(field, raw, for: platform, region: "US").value else { continue }
                    if sent.isHashed {
                        #expect(IdentifierHasher.isLowercaseSHA256Hex(sent.wireValue), "seed \(seed): \(platform) \(field)")
                        #expect(sent.wireValue != raw, "seed \(seed): \(platform) \(field) returned its raw input")
                    } else {
                        let normalized = IdentifierNormalizer.normalize(field, raw, for: platform, region: "US").value
                        #expect(sent.wireValue == normalized, "clear fields are sent normalized, never hashed")
                    }
                }
            }
        }
    }

    @Test("the ASCII fast path and the Unicode path agree", arguments: seeds)
    func fastPathMatchesUnicodePath(seed: UInt64) {
        var g = IdentifierRandom(seed: seed)
        for _ in 0..<Self.iterations {
            for field in CustomerField.allCases {
                let raw = IdentifierFuzz.value(for: field.rawValue, &g)
                guard raw.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
                // A trailing no-break space is trimmed, but forces the non-ASCII path.
                let unicode = raw + "\u{00A0}"
                for platform in Platform.allCases {
                    let fast = IdentifierNormalizer.normalize(field, raw, for: platform, region: "DE")
                    let slow = IdentifierNormalizer.normalize(field, unicode, for: platform, region: "DE")
                    #expect(fast == slow, "seed \(seed): \(platform) \(field)")
                }
            }
        }
    }

    @Test("every normalized value is in NFC")
    func outputIsNFC() {
        var g = IdentifierRandom(seed: 7)
        for _ in 0..<Self.iterations {
            for field in [CustomerField.firstName, .lastName, .city, .email, .externalID] {
                let raw = IdentifierFuzz.value(for: field.rawValue, &g)
                for platform in Platform.allCases {
                    guard let value = IdentifierNormalizer.normalize(field, raw, for: platform, region: nil).value else { continue }
                    #expect(UnicodeText.nfc(value).utf8.elementsEqual(value.utf8))
                }
            }
        }
    }
}
