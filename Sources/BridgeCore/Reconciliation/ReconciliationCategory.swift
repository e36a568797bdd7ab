/// Where a source order stands after the three-way comparison. Every order
/// of the window is in exactly one category; precedence from top to bottom.
public enum ReconciliationCategory: String, Sendable, CaseIterable {
    /// The bridge never received it (the webhook was lost, the subscription
    /// removed, a secret rotated on one side): the value reached no platform.
    case missing
    /// The bridge received it, but it was later erased at the buyer's request:
    /// expected, never backfilled.
    case erased
    /// The bridge holds it with another value or currency (an order edited
    /// after its webhook, a mapping difference).
    case valueDiffers = "value_differs"
    /// The bridge holds it, but at least one destination has not had it:
    /// pending, dead-lettered or never routed there.
    case undelivered
    /// Every destination has it, or did not take it on purpose (suppressed by
    /// consent, skipped by policy: shown per destination).
    case delivered

    /// A short title for tables and pages.
    public var title: String {
        switch self {
        case .missing: return "Missing in the bridge"
        case .erased: return "Erased at the buyer's request"
        case .valueDiffers: return "Value or currency differs"
        case .undelivered: return "Not delivered everywhere"
        case .delivered: return "Delivered"
        }
    }
}
