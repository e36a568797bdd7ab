/// Why a reconciliation cannot be started: said before anything is fetched
/// or stored, with what to change.
public enum ReconciliationRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No source of that name is configured.
    case unknownSource(String)
    /// The source has no `reconciliation.sources` entry (and no order file was given).
    case notConfigured(source: String, kind: String)
    /// Backfill needs the orders' data, which a backend's export does not carry.
    case backfillNotPossible(source: String)
    /// An order file was given for a source whose own API is the source of truth.
    case ordersFileNotApplicable(source: String, kind: String)
    /// The window is empty or too long.
    case invalidWindow(String)

    public var description: String {
        switch self {
        case .unknownSource(let name):
            return "no source named '\(name.prefix(64))' is configured"
        case .notConfigured(let source, let kind):
            return kind == "standard-webhooks" || kind == "events-api"
                ? "source '\(source)' has no reconciliation.sources entry with an orders_url; give its orders with --orders FILE"
                : "source '\(source)' (\(kind)) has no reconciliation.sources entry with its API credentials"
        case .backfillNotPossible(let source):
            return "source '\(source)' is a custom backend: its order list carries no buyer data to rebuild events from, so it cannot be backfilled; re-post the missing orders from the backend"
        case .ordersFileNotApplicable(let source, let kind):
            return "--orders is for custom backends; source '\(source)' is \(kind) and is read from its own API"
        case .invalidWindow(let why):
            return why
        }
    }
}
