import BridgeCore
import BridgeSources
import Testing

/// One signature vector of `fixtures/sources/test-vectors.json`.
struct SignatureVector: Sendable, CustomTestStringConvertible {
    let name: String
    let secrets: [String]
    let headers: [String: String]
    let body: [UInt8]
    /// The frozen clock, where the scheme signs a timestamp.
    let verifyAt: Int64?
    /// `accept…` (including the WooCommerce ping) versus `reject…`.
    let expectAccept: Bool

    var testDescription: String { name }

    var request: WebhookRequest {
        WebhookRequest(headers: HeaderFields(headers.map { ($0.key, $0.value) }), body: body)
    }

    var now: Timestamp { Timestamp(secondsSinceEpoch: verifyAt ?? Fixtures.signedAt) }

    /// The vectors of one section (`standard_webhooks`, `stripe`, `shopify`,
    /// `woocommerce`); empty when the file cannot be read (a separate test
    /// checks the counts).
    static func load(_ section: String) -> [SignatureVector] {
        guard let document = try? Fixtures.vectors(), let list = document[section]?.arrayValue else { return [] }
        return list.compactMap { vector in
            guard let name = vector["name"]?.stringValue, let body = vector["body"]?.stringValue,
                let expected = vector["expected"]?.stringValue
            else { return nil }
            var headers: [String: String] = [:]
            if case .object(let members)? = vector["headers"] {
                for (key, value) in members { headers[key] = value.stringValue }
            } else if section == "stripe", let header = vector["header"]?.stringValue {
                headers["Stripe-Signature"] = header
            } else if let headerName = vector["header_name"]?.stringValue, let header = vector["header"]?.stringValue {
                headers[headerName] = header
            }
            return SignatureVector(
                name: name,
                secrets: (vector["secrets"]?.arrayValue ?? []).compactMap(\.stringValue),
                headers: headers,
                body: Array(body.utf8),
                verifyAt: vector["verify_at"]?.numberText.flatMap { Int64($0) },
                expectAccept: expected.hasPrefix("accept"))
        }
    }
}

/// One entry of the `fixtures` section: a fixture file and the headers its
/// sender computed for it.
struct SignedFixture: Sendable, CustomTestStringConvertible {
    let source: String
    /// Path below `fixtures/sources/`.
    let path: String
    let headers: [String: String]
    let secret: String
    let verifyAt: Int64

    var testDescription: String { path }

    static func load() -> [SignedFixture] {
        guard let document = try? Fixtures.vectors(), let list = document["fixtures"]?.arrayValue else { return [] }
        return list.compactMap { entry in
            guard let source = entry["source"]?.stringValue, let file = entry["file"]?.stringValue,
                let secret = entry["secret"]?.stringValue, let verifyAt = entry["verify_at"]?.numberText.flatMap({ Int64($0) }),
                case .object(let members)? = entry["headers"]
            else { return nil }
            var headers: [String: String] = [:]
            for (key, value) in members { headers[key] = value.stringValue }
            let prefix = "fixtures/sources/"
            let path = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
            return SignedFixture(source: source, path: path, headers: headers, secret: secret, verifyAt: verifyAt)
        }
    }
}
