import BridgeCore

/// What the monitors of every instance share about the health of sources
/// and destinations: counters per 10-second bucket that each instance adds to (one
/// row per instance, so instances never wait for each other), the last
/// verified request per source, and the backlog of events waiting to be
/// prepared. Counting happens where things happen (ingest, delivery
/// workers), in memory; each instance's monitor adds its counts here every
/// few seconds, so a crash loses at most that much.
public protocol HealthStore: Sendable {
    /// Adds `report` as `instance`'s contribution: counts are summed into
    /// their bucket, last-seen times kept when later than what `instance`
    /// recorded. Deletes buckets before `forgetBefore` (every instance's),
    /// and last-seen rows older than `forgetBefore` of sources that have a
    /// newer one.
    func recordHealth(_ report: HealthReport, instance: String, forgetBefore: Timestamp) async throws(StoreError)

    /// Every instance's counts in the buckets that start at or after `since`
    /// (summed per bucket, subject and counter), the last verified request per source, and the prepare backlog.
    func healthSnapshot(since: Timestamp) async throws(StoreError) -> HealthSnapshot
}

/// What one subject's counter counts.
public enum HealthCounter: String, Sendable, Hashable, CaseIterable {
    /// Requests to a source whose signature (or bearer token) verified.
    case verified
    /// Requests to a source refused for their signature, timestamp or token.
    case signatureFailures = "signature_failures"
    /// Events a destination acknowledged.
    case delivered
    /// Failed attempts that will be retried.
    case retried
    /// Events given up (dead letters).
    case deadLettered = "dead_lettered"
}

/// One counter of one subject in one 10-second bucket.
public struct HealthCount: Sendable, Hashable {
    /// The bucket (its first millisecond).
    public var bucket: Timestamp
    /// `source` or `destination` and its configured name.
    public var subject: AlertSubject
    public var counter: HealthCounter
    public var value: Int

    public init(bucket: Timestamp, subject: AlertSubject, counter: HealthCounter, value: Int) {
        self.bucket = bucket
        self.subject = subject
        self.counter = counter
        self.value = value
    }

    /// How long a bucket lasts: 10 s, fine enough for windows of a few
    /// minutes, coarse enough that an hour is 360 rows per counter.
    public static let bucketMilliseconds: Int64 = 10_000

    /// The bucket `at` falls in.
    public static func bucket(of at: Timestamp) -> Timestamp {
        let ms = at.millisecondsSinceEpoch
        let width = bucketMilliseconds
        let floor = ms >= 0 ? ms / width * width : (ms - width + 1) / width * width
        return Timestamp(millisecondsSinceEpoch: floor)
    }
}

/// One instance's counts and last-seen times since its previous report.
public struct HealthReport: Sendable, Equatable {
    public var counts: [HealthCount]
    /// The last verified request per source name.
    public var lastSeen: [String: Timestamp]

    public init(counts: [HealthCount] = [], lastSeen: [String: Timestamp] = [:]) {
        self.counts = counts
        self.lastSeen = lastSeen
    }

    public var isEmpty: Bool { counts.isEmpty && lastSeen.isEmpty }
}

/// What every instance recorded, as one monitor reads it.
public struct HealthSnapshot: Sendable, Equatable {
    /// Per bucket, subject and counter, summed over instances.
    public var counts: [HealthCount]
    /// The last verified request per source, the latest of any instance.
    public var lastSeen: [String: Timestamp]
    /// Events received and not yet prepared.
    public var unprepared: Int
    /// When the first of them (in arrival order) was received.
    public var oldestUnpreparedAt: Timestamp?

    public init(counts: [HealthCount] = [], lastSeen: [String: Timestamp] = [:], unprepared: Int = 0, oldestUnpreparedAt: Timestamp? = nil) {
        self.counts = counts
        self.lastSeen = lastSeen
        self.unprepared = unprepared
        self.oldestUnpreparedAt = oldestUnpreparedAt
    }

    /// The sum of `counter` for `subject` over the buckets that start at or
    /// after `since`.
    public func total(_ counter: HealthCounter, for subject: AlertSubject, since: Timestamp) -> Int {
        counts.reduce(0) { sum, count in
            count.counter == counter && count.subject == subject && count.bucket >= since ? sum + count.value : sum
        }
    }
}

extension AlertSubject {
    /// The subject as stored: `(kind, name)`.
    var storedParts: (kind: String, name: String) { (kind.rawValue, name) }

    /// A subject read back; `nil` for an unknown kind.
    init?(storedKind kind: String, name: String) {
        switch kind {
        case "destination": self = .destination(name)
        case "source": self = .source(name)
        case "pipeline": self = .pipeline
        default: return nil
        }
    }
}
