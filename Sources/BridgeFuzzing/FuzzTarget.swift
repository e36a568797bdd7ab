import BridgeCore
import BridgeSources

/// The hostile-input entry points of the reliability harness: each takes
/// arbitrary bytes and drives one parser or adapter the way the bridge
/// does. libFuzzer calls them (`fuzz/CapiFuzz`, built with
/// `-sanitize=fuzzer` in `.build-fuzz`), and the test suite replays every
/// committed corpus file through the same functions, so a crash found once
/// stays fixed. The configuration loader has its own target
/// (`ConfigFuzzTarget`, BridgeConfigFuzzing): it needs the server module,
/// whose dependencies would make this one slow to build instrumented.
///
/// Anything but a crash passes: errors are the expected answer to bad
/// input. The JSON target also checks that what parses writes back to the
/// same value.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONParser` (every body), `JSONWriter` round trip, and ingest's
    /// one-pass reader and schema validation of `POST /v1/events`.
    case json
    /// `ShopifySource` with a valid HMAC over the input: the first byte picks the topic.
    case shopify
    /// `StripeSource` with a valid `Stripe-Signature` over the input.
    case stripe
    /// `WooCommerceSource` with a valid signature: the first byte picks the topic.
    case woocommerce
    /// `StandardWebhooksSource` (canonical events) with a valid signature.
    case standardWebhooks = "standard-webhooks"
    /// `TCString` (IAB TCF v2 consent strings).
    case tcf
    /// `GPPString` (IAB Global Privacy Platform).
    case gpp
    /// `USPrivacyString` (IAB CCPA `1YNN`).
    case usPrivacy = "us-privacy"

    /// Drives one input through the target; returns normally unless the
    /// code under test crashes.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .json: Self.json(bytes)
        case .shopify, .stripe, .woocommerce, .standardWebhooks: source(bytes)
        case .tcf, .gpp, .usPrivacy: consent(bytes)
        }
    }

    static func json(_ bytes: [UInt8]) {
        if let value = try? JSONParser.parse(bytes) {
            let written = JSONWriter.bytes(value)
            let reread = try? JSONParser.parse(written)
            precondition(reread == value, "JSONWriter wrote what JSONParser reads differently")
        }
        _ = try? EventsBatch.parse(bytes, source: "fuzz", idempotencyKey: nil)
        _ = try? EventsBatch.parse(bytes, source: "fuzz", idempotencyKey: "k", unknownProperties: .refuse)
    }
}
