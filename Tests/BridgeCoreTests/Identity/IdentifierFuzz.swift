/// The seeded generator of these tests.
typealias IdentifierRandom = SplitMix64

/// Random identifier-like strings: mostly plausible values with case,
/// whitespace, punctuation, accents, other scripts and invisible characters mixed in.
enum IdentifierFuzz {
    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let exotic: [String] = [
        "é", "e\u{301}", "ß", "ẞ", "Σ", "ς", "İ", "ø", "Ł", "정", "山", "Д", "م", "\u{200B}", "\u{00A0}", "ﬁ", "Ω", "١",
    ]
    static let punctuation = Array(" .-'_,+()/#&")

    static func word<G: RandomNumberGenerator>(_ g: inout G, length: ClosedRange<Int> = 1...10) -> String {
        var s = ""
        for _ in 0..<Int.random(in: length, using: &g) {
            switch Int.random(in: 0..<20, using: &g) {
            case 0: s += exotic.randomElement(using: &g) ?? ""
            case 1: s.append(punctuation.randomElement(using: &g) ?? " ")
            case 2: s += String(Int.random(in: 0...9, using: &g))
            default: s.append(letters.randomElement(using: &g) ?? "a")
            }
        }
        return s
    }

    static func value<G: RandomNumberGenerator>(for field: String, _ g: inout G) -> String {
        let pad = [" ", "", "\t", "\u{00A0}", ""].randomElement(using: &g) ?? ""
        let core: String
        switch field {
        case "email":
            let domain = ["gmail.com", "Example.COM", "googlemail.com", "web.de", "exämple.org"].randomElement(using: &g) ?? "x.io"
            core = word(&g) + (Bool.random(using: &g) ? "+" + word(&g, length: 1...4) : "") + "@" + domain
        case "phone":
            let formats = ["+1 (650) 555-%04d", "(650) 555-%04d", "0151 2345 %04d", "+44 20 7946 %04d", "0033 6 12 34 %04d", "06 12 34 %04d"]
            let n = Int.random(in: 0..<10000, using: &g)
            let f = formats.randomElement(using: &g) ?? "%04d"
            core = f.replacing("%04d", with: String(String(n + 10000).dropFirst()))
        case "date_of_birth":
            let y = Int.random(in: 1890...2030, using: &g), m = Int.random(in: 0...13, using: &g), d = Int.random(in: 0...32, using: &g)
            core = ["\(y)-\(m)-\(d)", "\(m)/\(d)/\(y)", "\(d).\(m).\(y)", "\(y)\(m < 10 ? "0" : "")\(m)\(d < 10 ? "0" : "")\(d)"]
                .randomElement(using: &g) ?? ""
        case "gender":
            core = ["F", "male", "Woman", "n", "x", "other", "M"].randomElement(using: &g) ?? ""
        case "country":
            core = ["US", "de", "U.S.A.", "Germany", "Côte d’Ivoire", "Atlantis", "gb"].randomElement(using: &g) ?? ""
        case "postal_code":
            core = ["94025-1234", "SW1A 1AA", "10115", "k1a 0b1", String(Int.random(in: 0..<100000, using: &g))]
                .randomElement(using: &g) ?? ""
        default:
            core = word(&g, length: 0...14)
        }
        return pad + core + pad
    }
}
