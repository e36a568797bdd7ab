/// What an alert is about: one configured destination, one configured
/// source, or the pipeline as a whole (the prepare stage serves every
/// destination). Names come from the configuration, never from input.
public enum AlertSubject: Sendable, Hashable, Comparable, CustomStringConvertible {
    case destination(String)
    case source(String)
    case pipeline

    /// The three kinds of subject.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case destination, source, pipeline
    }

    public var kind: Kind {
        switch self {
        case .destination: return .destination
        case .source: return .source
        case .pipeline: return .pipeline
        }
    }

    /// The configured name; `pipeline` for the pipeline.
    public var name: String {
        switch self {
        case .destination(let name), .source(let name): return name
        case .pipeline: return "pipeline"
        }
    }

    /// `destination meta`, `source shop`, `pipeline`: how messages name it.
    public var description: String {
        switch self {
        case .destination(let name): return "destination \(name)"
        case .source(let name): return "source \(name)"
        case .pipeline: return "pipeline"
        }
    }

    public static func < (lhs: AlertSubject, rhs: AlertSubject) -> Bool {
        (lhs.kind.rawValue, lhs.name) < (rhs.kind.rawValue, rhs.name)
    }
}

/// One evaluation of one condition for one subject: the detail when the
/// condition holds, `nil` when it is clear. Policies that watch more than a
/// destination's queue (`SourceHealthPolicy`, `DeliverySLOPolicy`,
/// `PrepareBacklogWatch`) hand their verdicts to `AlertPolicy` in this form.
public struct AlertFinding: Sendable, Hashable {
    public var subject: AlertSubject
    public var condition: AlertCondition
    /// What is wrong (counts, rates, durations, thresholds), or `nil` when clear.
    public var detail: String?

    public init(subject: AlertSubject, condition: AlertCondition, detail: String?) {
        self.subject = subject
        self.condition = condition
        self.detail = detail
    }

    /// Whether the condition holds.
    public var holds: Bool { detail != nil }
}
