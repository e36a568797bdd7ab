import Crypto

/// Replaces the clear fields of a request payload (IP address, user agent,
/// click ids: what a platform requires unhashed) by keyed digests before the
/// payload is written to the audit log.
///
/// A selected value becomes `"hmac-sha256:<64 lowercase hex>"`, the
/// HMAC-SHA-256 under the audit key of the value's UTF-8 text (a number's
/// text as written). Inside a selected array or object every string and
/// number is replaced the same way, keeping the structure; `null` and
/// booleans are kept. Without the key the digest cannot be reversed or
/// recomputed from a guess, yet the same value always gives the same digest,
/// so an auditor holding the key can check that a given IP was sent.
///
/// Selection, by the caller for its platform:
/// - `keys`: a member with this name anywhere in the document
///   (`client_ip_address`, `client_user_agent`, `fbc`, `fbp`, `ip`,
///   `user_agent`, `ttclid`, `gclid`, …);
/// - `paths`: RFC 6901 pointers where the token `*` matches any array index
///   or member name (`/data/*/user_data/fbc`).
///
/// Values that already are `hmac-sha256:` digests are left as they are, so
/// digesting twice changes nothing. Secrets that end up in a payload (an
/// `access_token` field) belong in `keys` too.
public struct ClearFieldDigester: Sendable {
    /// The prefix of every digest.
    public static let prefix = "hmac-sha256:"

    /// The audit digest key's id (`audit.digest_keys`), recorded in each
    /// entry as `digest_key_id`; `nil` when the key has none.
    public let keyID: String?
    private let key: SymmetricKey
    /// The keyed HMAC, copied per digest (HMAC is copy-on-write): the key
    /// schedule is computed once.
    private let keyed: HMAC<SHA256>
    private let keys: Set<String>
    private let paths: [[String]]

    /// - Parameters:
    ///   - key: The audit digest key (`audit.digest_key` in the config).
    ///   - keys: Member names to digest wherever they occur.
    ///   - paths: Pointers to digest; `*` matches any index or name.
    ///   - keyID: The key's id in the digest key ring, if it has one.
    public init(key: SymmetricKey, keys: Set<String>, paths: [JSONPointer] = [], keyID: String? = nil) {
        self.keyID = keyID
        self.key = key
        self.keyed = HMAC<SHA256>(key: key)
        self.keys = keys
        self.paths = paths.map(\.tokens)
    }

    /// The keyed digest of one clear value.
    public func digest(_ value: String) -> String {
        var hmac = keyed
        hmac.update(data: Array(value.utf8))
        return Self.prefix + Self.hex(hmac.finalize())
    }

    /// `payload` with every selected value replaced by its digest.
    public func digestingClearFields(of payload: JSONValue) -> JSONValue {
        walk(payload, path: [])
    }

    private func walk(_ value: JSONValue, path: [String]) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (name, member) in members {
                let childPath = path + [name]
                out[name] = isSelected(name: name, path: childPath) ? replaceLeaves(member) : walk(member, path: childPath)
            }
            return .object(out)
        case .array(let elements):
            return .array(
                elements.enumerated().map { index, element in
                    let childPath = path + [String(index)]
                    return matchesPath(childPath) ? replaceLeaves(element) : walk(element, path: childPath)
                })
        default:
            return value
        }
    }

    private func isSelected(name: String, path: [String]) -> Bool {
        keys.contains(name) || matchesPath(path)
    }

    private func matchesPath(_ path: [String]) -> Bool {
        paths.contains { pattern in
            pattern.count == path.count && zip(pattern, path).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }

    private func replaceLeaves(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(Self.isDigest(text) ? text : digest(text))
        case .number(let text):
            return .string(digest(text))
        case .array(let elements):
            return .array(elements.map(replaceLeaves))
        case .object(let members):
            return .object(members.mapValues(replaceLeaves))
        case .null, .bool:
            return value
        }
    }

    static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let hexPart = text.utf8.dropFirst(prefix.utf8.count)
        return hexPart.count == 64 && hexPart.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
