import BridgeCore

/// An `application/x-www-form-urlencoded` body or query: names and values in
/// order (`+` is a space, `%XX` a byte; malformed escapes are kept as text).
struct ConsoleForm: Sendable, Equatable {
    var fields: [(name: String, value: String)]

    static func == (lhs: ConsoleForm, rhs: ConsoleForm) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    init(_ text: String) {
        fields = text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map({ Self.decode(String($0)) }), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? Self.decode(String(parts[1])) : "")
        }
    }

    /// The first value of `name`, trimmed; `nil` when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields.first(where: { $0.name == name })?.value.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next() else { bytes.append(byte); continue }
                guard let low = iterator.next() else { bytes += [byte, high]; continue }
                if let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) { bytes.append(value) } else { bytes += [byte, high, low] }
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `name=value&…` with values percent-encoded (for links).
    static func query(_ pairs: [(String, String?)]) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        func encode(_ text: String) -> String {
            text.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : "%" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
        }
        return pairs.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : encode(name) + "=" + encode($0) } }.joined(separator: "&")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }

}
