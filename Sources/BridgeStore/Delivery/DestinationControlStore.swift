import BridgeCore

/// What operators and instances tell each other about destinations through
/// the store, so that a command run anywhere reaches every running instance
/// (several on PostgreSQL): resume requests (`capi-bridge destinations
/// resume`, the admin route) and each instance's view of each destination's
/// breaker (`capi-bridge destinations list`).
public protocol DestinationControlStore: Sendable {
    /// Asks every instance to resume `destination` (clear a pause or an open
    /// circuit that began before `at`).
    func requestResume(destination: String, at: Timestamp) async throws(StoreError)

    /// The latest resume request per destination.
    func resumeRequests() async throws(StoreError) -> [String: Timestamp]

    /// Replaces what `instance` reports about its destinations, and forgets
    /// reports not renewed since `forgetBefore` (instances long gone).
    func publishDestinationStatus(_ statuses: [DestinationStatus], instance: String, forgetBefore: Timestamp) async throws(StoreError)

    /// Every instance's latest report, by destination then instance.
    func destinationStatuses() async throws(StoreError) -> [DestinationStatus]
}

/// One instance's view of one destination's breaker.
public struct DestinationStatus: Sendable, Equatable {
    /// The reporting instance's lease owner name (`<instance>/<incarnation>`).
    public var instance: String
    public var destination: String
    /// `closed`, `open`, `half_open` or `paused`.
    public var state: String
    /// Why it is paused (the platform's message, redacted) or until when it is open.
    public var detail: String?
    /// When the report was made.
    public var reportedAt: Timestamp

    public init(instance: String, destination: String, state: String, detail: String?, reportedAt: Timestamp) {
        self.instance = instance
        self.destination = destination
        self.state = state
        self.detail = detail
        self.reportedAt = reportedAt
    }
}
