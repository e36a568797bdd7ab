import BridgeCore

/// Stripe's webhook signature (`stripe.md`): `Stripe-Signature:
/// t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, where each `v1` is the
/// lowercase hex HMAC-SHA256 of `"<t>.<raw body>"` keyed with the endpoint
/// secret's text, `whsec_` prefix included (never base64-decoded).
///
/// As in stripe-python, elements are split on `,` and then on the first `=`,
/// without trimming, and hex is compared exactly (uppercase fails). Only `v1`
/// counts: a header without one is refused even if a `v0` would match.
/// Unlike stripe-python, the timestamp window applies in both directions
/// (vector ST-8).
public struct StripeSignature: Sendable {
    static let headerName = "Stripe-Signature"

    /// One HMAC key per configured (non-empty) secret.
    let keys: [[UInt8]]
    let toleranceSeconds: Int64

    /// - Parameters:
    ///   - secrets: every active endpoint secret; all are tried (rotation).
    ///   - toleranceSeconds: how far `t` may be from now, either way.
    public init(secrets: [String], toleranceSeconds: Int64 = 300) {
        self.keys = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
        self.toleranceSeconds = toleranceSeconds
    }

    /// Verifies the header against the raw body.
    /// - Returns: the signed timestamp.
    /// - Throws: `.missingHeader`; `.malformedHeader` without a `t` integer or
    ///   without any `v1`; `.noSecretMatched`; `.timestampOutsideTolerance`
    ///   for an authentic but stale (or future) delivery.
    @discardableResult
    public func verify(headers: HeaderFields, body: [UInt8], now: Timestamp) throws(SignatureError) -> Int64 {
        guard let header = headers[StripeSignature.headerName] else { throw .missingHeader(StripeSignature.headerName) }
        var timestampText: Substring?
        var candidates: [[UInt8]] = []
        for element in header.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = element.firstIndex(of: "=") else { continue }
            let key = element[..<equals]
            let value = element[element.index(after: equals)...]
            if key == "t", timestampText == nil {
                timestampText = value
            } else if key == "v1" {
                candidates.append(Array(value.utf8))
            }
        }
        guard let timestampText else {
            throw .malformedHeader(StripeSignature.headerName, reason: "no t= timestamp element")
        }
        guard timestampText.utf8.count <= 18, timestampText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let timestamp = Int64(timestampText)
        else { throw .malformedHeader(StripeSignature.headerName, reason: "the t= element is not Unix seconds") }
        guard !candidates.isEmpty else {
            throw .malformedHeader(StripeSignature.headerName, reason: "no v1 signature element")
        }
        var signed: [UInt8] = []
        signed.reserveCapacity(timestampText.utf8.count + 1 + body.count)
        signed.append(contentsOf: timestampText.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        var matched = false
        for key in keys {
            let expected = Array(SignatureSupport.hex(SignatureSupport.hmacSHA256(key: key, message: signed)).utf8)
            for candidate in candidates where SignatureSupport.constantTimeEquals(expected, candidate) { matched = true }
        }
        guard matched else { throw .noSecretMatched(triedSecrets: keys.count) }
        let (skew, overflow) = now.secondsSinceEpoch.subtractingReportingOverflow(timestamp)
        guard !overflow, skew.magnitude <= toleranceSeconds.magnitude else {
            throw .timestampOutsideTolerance(skewSeconds: overflow ? Int64.min : skew, toleranceSeconds: toleranceSeconds)
        }
        return timestamp
    }

    /// The header Stripe would send for `body` signed at `timestamp` with
    /// `secrets` (one `v1` each, as during a secret roll); for tests and the demo.
    public static func sign(secrets: [String], timestamp: Int64, body: [UInt8]) -> String {
        let signed = Array("\(timestamp).".utf8) + body
        let signatures = secrets.map { "v1=" + SignatureSupport.hex(SignatureSupport.hmacSHA256(key: Array($0.utf8), message: signed)) }
        return (["t=\(timestamp)"] + signatures).joined(separator: ",")
    }
}
