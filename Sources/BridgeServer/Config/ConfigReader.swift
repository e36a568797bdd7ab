import BridgeCore

/// The one way the configuration file is read: a mapping's keys one by one,
/// each typed getter recording a problem at the key's path when the value
/// does not fit, and `rejectUnknown` reporting every key no getter asked for.
/// Nothing throws, so `check-config` lists every problem of a file in one
/// run, structural ones included. Every section of `BridgeConfig` reads
/// itself with one of these (`init(_ reader:problems:)`); a value that
/// does not fit keeps the section's default, and an entry of a list that
/// lacks a required key is left out, so validation sees no made-up values.
///
/// Values arrive as YAML scalars: a number may be `.number("1000")` or
/// `.string("1000")` (a substituted environment variable is always text).
struct ConfigReader {
    /// The mapping's key path (`server`, `sources[1]`); empty at the root.
    let path: String
    private let object: [String: JSONValue]
    private var read: Set<String> = []
    /// False when the value was not a mapping (then every getter finds nothing).
    let isObject: Bool
    /// In catalog mode (`ConfigLoader.keyCatalog`), notes every key asked for.
    let recorder = ConfigKeyRecorder.current

    init(_ value: JSONValue, path: String, problems: inout [ConfigProblem]) {
        self.path = path
        if let object = value.objectValue {
            self.object = object
            isObject = true
        } else {
            self.object = [:]
            isObject = false
            problems.append(ConfigProblem(path, "must be a mapping"))
        }
    }

    /// The path of `key` in this mapping.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Whether the mapping holds `key` with a value other than null.
    func contains(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    /// The raw value of `key` (null reads as absent), marking it read.
    mutating func value(_ key: String) -> JSONValue? {
        read.insert(key)
        recorder?.record(keyPath(key), .any)
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// A non-empty string; an empty one is a problem.
    mutating func string(_ key: String, required: Bool = false, problems: inout [ConfigProblem]) -> String? {
        recorder?.record(keyPath(key), .string)
        guard let value = value(key) else {
            if required && isObject { problems.append(ConfigProblem(keyPath(key), "required key is missing")) }
            return nil
        }
        guard let text = Self.text(value), !text.isEmpty else {
            problems.append(ConfigProblem(keyPath(key), required ? "must be a non-empty string" : "must be a string"))
            return nil
        }
        return text
    }

    /// A string that may be empty (`${VAR:-}` placeholders); `nil` when absent.
    mutating func text(_ key: String, problems: inout [ConfigProblem]) -> String? {
        recorder?.record(keyPath(key), .string)
        guard let value = value(key) else { return nil }
        guard let text = Self.text(value) else {
            problems.append(ConfigProblem(keyPath(key), "must be a string"))
            return nil
        }
        return text
    }

    /// An integer within `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int64>, problems: inout [ConfigProblem]) -> Int64? {
        recorder?.record(keyPath(key), .integer)
        guard let value = value(key) else { return nil }
        guard let text = value.scalarText, let number = Int64(text), range.contains(number) else {
            problems.append(ConfigProblem(keyPath(key), "must be an integer from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return number
    }

    /// Any integer (its range is checked by validation, which names it).
    mutating func integer(_ key: String, problems: inout [ConfigProblem]) -> Int? {
        recorder?.record(keyPath(key), .integer)
        guard let value = value(key) else { return nil }
        guard let text = value.scalarText, let number = Int(text) else {
            problems.append(ConfigProblem(keyPath(key), "must be an integer"))
            return nil
        }
        return number
    }

    /// Any finite number (its range is checked by validation, which names it).
    mutating func number(_ key: String, problems: inout [ConfigProblem]) -> Double? {
        recorder?.record(keyPath(key), .number)
        guard let value = value(key) else { return nil }
        guard let text = value.scalarText, let number = Double(text), number.isFinite else {
            problems.append(ConfigProblem(keyPath(key), "must be a number"))
            return nil
        }
        return number
    }

    mutating func bool(_ key: String, problems: inout [ConfigProblem]) -> Bool? {
        recorder?.record(keyPath(key), .boolean)
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue ?? value.scalarText.flatMap(Bool.init) else {
            problems.append(ConfigProblem(keyPath(key), "must be true or false"))
            return nil
        }
        return flag
    }

    /// One of an enumeration's raw values.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, problems: inout [ConfigProblem]) -> Choice?
    where Choice.RawValue == String {
        recorder?.record(keyPath(key), .choice, allowed: Choice.allCases.map(\.rawValue))
        guard let text = string(key, problems: &problems) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(ConfigProblem(keyPath(key), "must be one of \(allowed)"))
            return nil
        }
        return choice
    }

    /// A list of strings (empty entries kept); `nil` when absent.
    mutating func strings(_ key: String, problems: inout [ConfigProblem]) -> [String]? {
        recorder?.record(keyPath(key), .stringList)
        guard let value = value(key) else { return nil }
        guard let items = value.arrayValue else {
            problems.append(ConfigProblem(keyPath(key), "must be a list of strings"))
            return nil
        }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = Self.text(item) else {
                problems.append(ConfigProblem("\(keyPath(key))[\(index)]", "must be a string"))
                continue
            }
            strings.append(text)
        }
        return strings
    }

    /// One string or a list of strings, as the non-empty values with the
    /// path each was written at relative to this mapping (`key` for one
    /// string, `key[i]` in a list); `nil` when absent.
    mutating func stringOrList(_ key: String, problems: inout [ConfigProblem]) -> [KeyedValue]? {
        recorder?.record(keyPath(key), .stringOrList)
        guard let value = value(key) else { return nil }
        if let one = Self.text(value) { return one.isEmpty ? [] : [KeyedValue(path: key, value: one)] }
        guard value.arrayValue != nil else {
            problems.append(ConfigProblem(keyPath(key), "must be a string or a list of strings"))
            return nil
        }
        return (strings(key, problems: &problems) ?? []).enumerated().compactMap { index, text in text.isEmpty ? nil : KeyedValue(path: "\(key)[\(index)]", value: text) }
    }

    /// The nested mapping under `key`; `nil` when absent or not a mapping
    /// (a problem then).
    mutating func section(_ key: String, problems: inout [ConfigProblem]) -> ConfigReader? {
        recorder?.record(keyPath(key), .mapping)
        guard let value = value(key) else { return nil }
        let reader = ConfigReader(value, path: keyPath(key), problems: &problems)
        return reader.isObject ? reader : nil
    }

    /// A reader for each entry of the list under `key` (`key[i]`); an entry
    /// that is not a mapping is a problem, and its reader finds nothing (so
    /// the entries after it keep their indices). `nil` when absent or not a list.
    mutating func entries(_ key: String, problems: inout [ConfigProblem]) -> [ConfigReader]? {
        recorder?.record(keyPath(key), .list)
        guard let value = value(key) else { return nil }
        guard let items = value.arrayValue else {
            problems.append(ConfigProblem(keyPath(key), "must be a list"))
            return nil
        }
        return items.enumerated().map { index, item in ConfigReader(item, path: "\(keyPath(key))[\(index)]", problems: &problems) }
    }

    /// The keys no getter asked for, in this mapping's order of names.
    var unreadKeys: [String] { object.keys.filter { !read.contains($0) }.sorted() }

    /// Every key no getter asked for is a problem: almost always a typo
    /// that would otherwise be silently ignored.
    func rejectUnknown(problems: inout [ConfigProblem]) {
        recorder?.recordClosed(path)
        let unknown = unreadKeys
        guard !unknown.isEmpty else { return }
        let known = read.sorted().joined(separator: ", ")
        for key in unknown {
            problems.append(ConfigProblem(keyPath(key), "unknown key (expected one of: \(known))"))
        }
    }

    /// The text of a scalar (a YAML `true` read where text is expected is the text `true`).
    static func text(_ value: JSONValue) -> String? {
        if let text = value.scalarText { return text }
        return value.boolValue.map { $0 ? "true" : "false" }
    }
}

/// A configuration value with the key path it was written at (relative to
/// its section), so that checks can name exactly where it is.
struct KeyedValue: Sendable, Equatable {
    let path: String
    let value: String
}
