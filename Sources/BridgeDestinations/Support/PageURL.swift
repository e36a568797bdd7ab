import BridgeCore

/// The page a conversion happened on, as the platforms that want one
/// (Meta `event_source_url`, TikTok `page.url`, Snap, Pinterest, Reddit)
/// take it: the event's landing URL when absolute; a path-only landing URL
/// (Shopify's `landing_site`) prefixed with the configured `site_url`; else
/// the configured fallback URL; else none.
struct PageURL: Sendable, Equatable {
    /// `site_url`: makes a path-only landing URL absolute.
    let siteURL: String?
    /// The URL used when the event has no usable landing URL.
    let fallback: String?

    func resolve(for event: ConversionEvent) -> String? {
        if let landing = event.client.landingURL?.rawValue.trimmingWhitespace(), !landing.isEmpty {
            if HTTPURLText.isHTTP(landing) { return landing }
            if landing.hasPrefix("/"), !landing.hasPrefix("//"), let siteURL { return siteURL + landing }
        }
        return fallback
    }
}

extension SettingsReader {
    /// How a destination's event-age window is set.
    enum EventAgeSetting {
        /// Fixed by the platform.
        case fixed(seconds: Int64)
        /// `max_event_age_days`, from 1 to `maxDays`, `defaultDays` when absent.
        case configurable(defaultDays: Int, maxDays: Int)
    }

    /// The size, age and time keys every platform destination reads:
    /// `max_events_per_request` (at most the platform's `maxEvents`),
    /// `max_bytes_per_request`, `max_event_age_days` when the age is
    /// configurable, and `timeout_ms`.
    mutating func limits(
        maxEvents: Int, defaultBytes: Int, bytesRange: ClosedRange<Int> = 1024...(50 << 20), eventAge: EventAgeSetting,
        defaultTimeoutMilliseconds: Int = 5000, futureSkewSeconds: Int64 = 300
    ) throws(DestinationConfigError) -> DestinationLimits {
        let events = try integer("max_events_per_request", default: maxEvents, in: 1...maxEvents)
        let bytes = try integer("max_bytes_per_request", default: defaultBytes, in: bytesRange)
        let ageSeconds: Int64
        switch eventAge {
        case .fixed(let seconds): ageSeconds = seconds
        case .configurable(let defaultDays, let maxDays):
            ageSeconds = Int64(try integer("max_event_age_days", default: defaultDays, in: 1...maxDays)) * 86_400
        }
        let timeout = try integer("timeout_ms", default: defaultTimeoutMilliseconds, in: 100...120_000)
        return DestinationLimits(
            maxEventsPerRequest: events, maxBytesPerRequest: bytes, maxEventAgeSeconds: ageSeconds, maxFutureSkewSeconds: futureSkewSeconds,
            requestTimeout: .milliseconds(timeout))
    }
}
