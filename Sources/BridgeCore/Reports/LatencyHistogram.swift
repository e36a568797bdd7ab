/// Delivery latencies (milliseconds) in log-linear buckets, so percentiles
/// come from counts instead of every value: constant memory per series,
/// mergeable across periods.
///
/// Buckets, as in HdrHistogram with 6 significant bits: values below 128 ms
/// are exact; above, each power of two is split into 64 equal buckets, so a
/// bucket is at most 1/64 (1.6 %) of its values wide:
///
///     value (ms)      | bucket width
///     ----------------+-------------
///     0 … 127         | 1 ms (exact)
///     128 … 255       | 2 ms
///     1,024 … 2,047   | 16 ms
///     65,536 … 131,071| 1,024 ms
///
/// A percentile is the lower bound of the bucket holding the nearest-rank
/// value, so it never overstates the true value and understates it by less
/// than 1.6 %.
public struct LatencyHistogram: Sendable, Equatable {
    /// Bucket index → count.
    public private(set) var buckets: [Int: Int] = [:]
    /// How many values were recorded.
    public private(set) var count = 0

    public init() {}

    /// Records one latency; negative values count as 0.
    public mutating func record(_ milliseconds: Int64) {
        buckets[Self.bucket(of: max(0, milliseconds)), default: 0] += 1
        count += 1
    }

    /// Records `n` values of one bucket (`n` may be negative: taken back out).
    mutating func record(bucket: Int, count n: Int) {
        let total = buckets[bucket, default: 0] + n
        buckets[bucket] = total == 0 ? nil : total
        count += n
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for (bucket, n) in other.buckets { buckets[bucket, default: 0] += n }
        count += other.count
    }

    /// The `fraction` percentile (0.5 for p50) by nearest rank, as its
    /// bucket's lower bound; `nil` when empty.
    public func percentile(_ fraction: Double) -> Int64? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for bucket in buckets.keys.sorted() {
            seen += buckets[bucket] ?? 0
            if seen >= rank { return Self.lowerBound(of: bucket) }
        }
        return buckets.keys.max().map(Self.lowerBound(of:))
    }

    /// The bucket of a non-negative value.
    static func bucket(of value: Int64) -> Int {
        if value < 128 { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount  // ≥ 7
        let shift = exponent - 6
        let sub = Int(value >> Int64(shift)) - 64  // 0…63
        return 128 + (shift - 1) * 64 + sub
    }

    /// The smallest value of a bucket.
    static func lowerBound(of bucket: Int) -> Int64 {
        if bucket < 128 { return Int64(bucket) }
        let shift = (bucket - 128) / 64 + 1
        let sub = (bucket - 128) % 64
        return Int64(64 + sub) << Int64(shift)
    }
}

/// p50, p95 and p99 of delivery latency, in milliseconds.
public struct LatencySummary: Sendable, Equatable {
    public let p50: Int64
    public let p95: Int64
    public let p99: Int64
    /// How many deliveries were measured.
    public let count: Int

    public init(p50: Int64, p95: Int64, p99: Int64, count: Int) {
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.count = count
    }

    /// The summary of `histogram`, or `nil` when it is empty.
    public init?(_ histogram: LatencyHistogram) {
        guard let p50 = histogram.percentile(0.50), let p95 = histogram.percentile(0.95), let p99 = histogram.percentile(0.99) else {
            return nil
        }
        self.init(p50: p50, p95: p95, p99: p99, count: histogram.count)
    }
}
