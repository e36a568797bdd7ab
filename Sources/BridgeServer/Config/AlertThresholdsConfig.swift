import BridgeCore

/// `alerts.delivery_slo:` — each destination's delivery success target.
public struct DeliverySLOConfig: Sendable, Decodable {
    /// Target for every destination, in percent (default 99.5).
    public var successPercent: Double = 99.5
    /// Window the rate is computed over (default 60 min).
    public var windowMinutes: Double = 60
    /// Fewer final outcomes than this in the window: no judgement (default 20).
    public var minOutcomes = 20
    /// Per-destination targets in percent, by configured name.
    public var destinations: [String: Double] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case successPercent = "success_percent"
        case windowMinutes = "window_minutes"
        case minOutcomes = "min_outcomes"
        case destinations
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        successPercent = try c.decodeIfPresent(Double.self, forKey: .successPercent) ?? successPercent
        windowMinutes = try c.decodeIfPresent(Double.self, forKey: .windowMinutes) ?? windowMinutes
        minOutcomes = try c.decodeIfPresent(Int.self, forKey: .minOutcomes) ?? minOutcomes
        destinations = try c.decodeIfPresent([String: Double].self, forKey: .destinations) ?? [:]
    }
}

/// `alerts.error_spike:` — when a destination's failed attempts spike.
public struct ErrorSpikeConfig: Sendable, Decodable {
    /// Share of failed attempts, in percent, that raises the alert (default 25).
    public var errorPercent: Double = 25
    /// Window the share is computed over (default 5 min).
    public var windowMinutes: Double = 5
    /// Fewer attempts than this in the window: no judgement (default 20).
    public var minAttempts = 20

    enum CodingKeys: String, CodingKey, CaseIterable {
        case errorPercent = "error_percent"
        case windowMinutes = "window_minutes"
        case minAttempts = "min_attempts"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        errorPercent = try c.decodeIfPresent(Double.self, forKey: .errorPercent) ?? errorPercent
        windowMinutes = try c.decodeIfPresent(Double.self, forKey: .windowMinutes) ?? windowMinutes
        minAttempts = try c.decodeIfPresent(Int.self, forKey: .minAttempts) ?? minAttempts
    }
}
