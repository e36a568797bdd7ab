/// The consent stage's verdict for one event and one destination.
///
/// A suppressed decision carries no region and no restriction data: the
/// pipeline sends nothing for it and keeps no raw identifiers. Its
/// `description` (`send_limited:gpc_opt_out`) is safe for logs and the audit
/// chain.
public struct ConsentDecision: Sendable, Equatable, CustomStringConvertible {
    /// What the pipeline does with the event.
    public enum Action: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
        /// Send normally.
        case send
        /// Send with the platform's restriction flags (see `LimitedDataUse`).
        case sendLimited = "send_limited"
        /// Send nothing.
        case suppress
    }

    /// What to do.
    public let action: Action
    /// Why: the signal that decided the action (for `sendLimited`, the restriction).
    public let reason: ConsentReason
    /// Restrictions and consent values for the destination to render; `.none`
    /// when suppressed.
    public let limitedDataUse: LimitedDataUse

    public init(action: Action, reason: ConsentReason, limitedDataUse: LimitedDataUse) {
        self.action = action
        self.reason = reason
        self.limitedDataUse = action == .suppress ? .none : limitedDataUse
    }

    /// A suppression for `reason`.
    public static func suppress(_ reason: ConsentReason) -> ConsentDecision {
        ConsentDecision(action: .suppress, reason: reason, limitedDataUse: .none)
    }

    /// True when nothing may be sent.
    public var isSuppressed: Bool { action == .suppress }

    public var description: String { "\(action.rawValue):\(reason.rawValue)" }
}
