import BridgeCore

/// A coding key for any string, to enumerate every key a mapping holds.
struct AnyCodingKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// A configuration key that the bridge does not know: almost always a typo
/// that would otherwise be silently ignored.
struct UnknownKeyError: Error, CustomStringConvertible {
    let codingPath: [any CodingKey]
    let key: String
    let allowed: [String]

    var description: String { "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))" }
}

extension Decoder {
    /// Throws `UnknownKeyError` when the mapping holds a key outside `keys`.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        guard let container = try? container(keyedBy: AnyCodingKey.self) else { return }
        let allowed = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw UnknownKeyError(codingPath: codingPath, key: key.stringValue, allowed: allowed.sorted())
        }
    }
}

/// A YAML value given either as one string or a list of strings.
struct StringOrList: Decodable {
    let values: [String]
    /// Written as a list (entries are then `key[index]`).
    let isList: Bool

    init(values: [String], isList: Bool) {
        self.values = values
        self.isList = isList
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
            isList = false
        } else {
            values = try container.decode([String].self)
            isList = true
        }
    }

    /// The non-empty values with the key path each was written at, relative
    /// to the mapping holding `key`: `key` for one string, `key[i]` in a list.
    func entries(key: String) -> [KeyedValue] {
        values.enumerated().compactMap { index, value in
            value.isEmpty ? nil : KeyedValue(path: isList ? "\(key)[\(index)]" : key, value: value)
        }
    }
}

/// A configuration value with the key path it was written at (relative to
/// its section), so that checks can name exactly where it is.
struct KeyedValue: Sendable, Equatable {
    let path: String
    let value: String
}

extension JSONValue: Decodable {
    /// Decodes any YAML/JSON value; numbers keep their text.
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var object: [String: JSONValue] = [:]
            for key in keyed.allKeys { object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
            self = .object(object)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            while !unkeyed.isAtEnd { array.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(array)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let bool = try? single.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? single.decode(Int64.self) {
            self = .number(String(int))
        } else if let text = try? single.decode(String.self) {
            self = .string(text)
        } else {
            self = .string(try single.decode(String.self))
        }
    }
}
