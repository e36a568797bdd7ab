import BridgeCore

/// `alerts.delivery_slo:` — each destination's delivery success target.
public struct DeliverySLOConfig: Sendable {
    /// Target for every destination, in percent (default 99.5).
    public var successPercent: Double = 99.5
    /// Window the rate is computed over (default 60 min).
    public var windowMinutes: Double = 60
    /// Fewer final outcomes than this in the window: no judgement (default 20).
    public var minOutcomes = 20
    /// Per-destination targets in percent, by configured name.
    public var destinations: [String: Double] = [:]

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        successPercent = reader.number("success_percent", problems: &problems) ?? successPercent
        windowMinutes = reader.number("window_minutes", problems: &problems) ?? windowMinutes
        minOutcomes = reader.integer("min_outcomes", problems: &problems) ?? minOutcomes
        if var section = reader.section("destinations", problems: &problems) {
            for name in section.unreadKeys {
                if let target = section.number(name, problems: &problems) { destinations[name] = target }
            }
        }
        reader.rejectUnknown(problems: &problems)
    }
}

/// `alerts.error_spike:` — when a destination's failed attempts spike.
public struct ErrorSpikeConfig: Sendable {
    /// Share of failed attempts, in percent, that raises the alert (default 25).
    public var errorPercent: Double = 25
    /// Window the share is computed over (default 5 min).
    public var windowMinutes: Double = 5
    /// Fewer attempts than this in the window: no judgement (default 20).
    public var minAttempts = 20

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        errorPercent = reader.number("error_percent", problems: &problems) ?? errorPercent
        windowMinutes = reader.number("window_minutes", problems: &problems) ?? windowMinutes
        minAttempts = reader.integer("min_attempts", problems: &problems) ?? minAttempts
        reader.rejectUnknown(problems: &problems)
    }
}
