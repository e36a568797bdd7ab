/// An **estimate** of how well a platform can match events to its users,
/// from which identifiers each event carried. It is not the platform's own
/// score (Meta's Event Match Quality, TikTok's EMQ, Pinterest's EQS): those
/// are computed by the platforms from data we never see (whether a hashed
/// e-mail belongs to one of their accounts). It ranks what is missing by
/// what the platforms' published guidance says matters, on the same 0–10
/// scale as Meta's and TikTok's scores. `docs/match-quality.md` explains it
/// with worked examples.
///
/// How one event is scored. Each platform has a list of **signals**; a
/// signal is present when the event carries any one of its alternatives in
/// full (Meta's "name" signal needs both first and last name; its "click id"
/// is `fbc` or `fbclid`). Then, by the platform's combination rule:
///
/// - `independentChances` (Meta, Snapchat, Pinterest, Google, LinkedIn,
///   Reddit): each signal's weight `w` is read as the chance that it alone
///   lets the platform match the event; signals are taken as independent
///   chances, so `score = 10 × (1 − Π (1 − w))` over the signals present. Adding
///   a signal always raises the score, with diminishing returns, as the
///   platforms describe.
/// - `weightedCoverage` (TikTok): TikTok documents its score as "a weighted
///   average of all your match key coverages"; per event that is
///   `score = 10 × Σ w / Σ all w` over the signals present, and the average
///   over events is exactly the weighted average of coverages.
///
/// A series' score is the mean of its delivered events' scores. Weights are
/// this project's calibration of each platform's published ordering (Meta
/// names e-mail, IP address, first + last name and phone as high-quality and
/// its Dataset Quality API example gives e-mail +58.96 % and IP +20.65 %
/// "additional conversions reported"); they are listed per platform in
/// `MatchQualityModel+Platforms.swift` and in the docs.
public struct MatchQualityModel: Sendable, Hashable {
    /// How signal weights combine into one event's score.
    public enum Combination: String, Sendable, Hashable {
        case independentChances = "independent_chances"
        case weightedCoverage = "weighted_coverage"
    }

    /// One thing a platform matches on.
    public struct Signal: Sendable, Hashable {
        /// Plain name (`email`, `name (first + last)`).
        public let name: String
        /// Present when any alternative is carried in full.
        public let alternatives: [IdentifierSet]
        /// See `Combination`.
        public let weight: Double

        public init(_ name: String, _ alternatives: [[IdentifierKey]], weight: Double) {
            self.name = name
            self.alternatives = alternatives.map { IdentifierSet($0) }
            self.weight = weight
        }

        /// Whether `mask` carries this signal.
        public func isPresent(in mask: Int64) -> Bool {
            alternatives.contains { $0.mask & mask == $0.mask }
        }
    }

    /// `meta-v1`, …: printed with every score so a changed model is visible.
    public let name: String
    public let platform: Platform
    public let combination: Combination
    public let signals: [Signal]

    public init(name: String, platform: Platform, combination: Combination, signals: [Signal]) {
        self.name = name
        self.platform = platform
        self.combination = combination
        self.signals = signals
    }

    /// Every identifier some signal uses.
    public var keys: IdentifierSet {
        IdentifierSet(mask: signals.reduce(0) { $0 | $1.alternatives.reduce(0) { $0 | $1.mask } })
    }

    /// The estimated score (0–10) of one event carrying `mask`.
    public func score(_ mask: Int64) -> Double {
        switch combination {
        case .independentChances:
            var miss = 1.0
            for signal in signals where signal.isPresent(in: mask) { miss *= 1 - signal.weight }
            return 10 * (1 - miss)
        case .weightedCoverage:
            let total = signals.reduce(0) { $0 + $1.weight }
            guard total > 0 else { return 0 }
            let present = signals.reduce(0) { $0 + ($1.isPresent(in: mask) ? $1.weight : 0) }
            return 10 * present / total
        }
    }
}
