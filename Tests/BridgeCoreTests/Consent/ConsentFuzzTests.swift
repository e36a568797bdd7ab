import BridgeCore
import Testing

/// Random, truncated and bit-flipped inputs must produce a value or a typed
/// error, never a trap. A seeded generator keeps every run identical.
@Suite("Consent decoders under fuzzing")
struct ConsentFuzzTests {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=!é ")

    static var seeds: [String] {
        var seeds = (TCFVectorFile.loaded?.vectors ?? []).map(\.tcString)
        seeds += [GPPStringTests.allSections, TCStringTests.iabExample, "DBACNY~" + GPPStringTests.tcfExample + "~1YNN"]
        return seeds
    }

    @Test("random strings never crash the TC, GPP or US Privacy decoders")
    func randomStrings() {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        for _ in 0..<2_500 {
            let length = Int.random(in: 0...120, using: &rng)
            let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &rng) ?? "A" })
            exercise(text)
            exercise("C" + text)
            exercise("DBA" + text)
        }
    }

    @Test("every truncation of real strings fails cleanly or decodes")
    func truncations() {
        for seed in Self.seeds {
            let characters = Array(seed)
            let step = max(1, characters.count / 150)
            for end in stride(from: 0, through: characters.count, by: step) {
                exercise(String(characters[0..<end]))
            }
        }
    }

    @Test("flipping characters of real strings never crashes")
    func mutations() {
        var rng = SeededGenerator(seed: 42)
        let seeds = Self.seeds
        for _ in 0..<1_500 {
            guard var characters = seeds.randomElement(using: &rng).map(Array.init), !characters.isEmpty else { continue }
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let index = Int.random(in: 0..<characters.count, using: &rng)
                characters[index] = Self.alphabet.randomElement(using: &rng) ?? "A"
            }
            exercise(String(characters))
        }
    }

    private func exercise(_ text: String) {
        _ = try? TCString(decoding: text)
        _ = try? GPPString(decoding: text)
        _ = try? USPrivacyString(decoding: text)
        let signals = ConsentSignals(tcfString: text, usPrivacy: text, gppString: text)
        _ = ConsentEngine.decide(
            signals: signals, country: "DE", state: nil, policy: .default(for: .google), platform: .google)
        _ = ConsentEngine.decide(
            signals: signals, country: "US", state: "CA", policy: .default(for: .meta), platform: .meta)
    }
}
