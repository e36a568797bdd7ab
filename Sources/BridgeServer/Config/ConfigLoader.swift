import BridgeCore
import BridgeSources
import Foundation
import Yams

/// Reads, substitutes and validates the YAML configuration.
///
/// `${VAR}` in any string value is replaced from the environment and is a
/// problem when unset; `${VAR:-default}` falls back to `default`. Substitution
/// happens after YAML parsing, so a secret full of YAML punctuation is safe.
/// This is the only code that reads the environment.
public enum ConfigLoader {
    /// Loads and validates the file at `path`.
    /// - Throws: `ConfigError` listing every problem with its key path.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> BridgeConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, problems: [ConfigProblem("", "cannot read the file")])
        }
        return try parse(text, file: path, environment: environment)
    }

    /// Parses and validates configuration text.
    public static func parse(_ text: String, file: String = "<config>", environment: [String: String]) throws(ConfigError) -> BridgeConfig {
        let root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch {
            throw ConfigError(file: file, problems: [ConfigProblem("", "not valid YAML: \(error)")])
        }
        var problems: [ConfigProblem] = []
        var fallbacks: [ConfigFallback] = []
        let substituted = substitute(root, path: "", environment: environment, problems: &problems, fallbacks: &fallbacks)
        guard problems.isEmpty else { throw ConfigError(file: file, problems: problems) }
        var config: BridgeConfig
        do {
            config = try YAMLDecoder().decode(BridgeConfig.self, from: substituted)
        } catch {
            throw ConfigError(file: file, problems: [describe(error)])
        }
        config.fallbacks = fallbacks
        problems = validate(config)
        let fileProblems = readDestinationFiles(&config.destinations)
        problems += fileProblems
        do { _ = try PipelineFactory.routes(config) } catch {
            // A key whose file could not be read is reported once, by the line above.
            problems += error.problems.filter { problem in !fileProblems.contains { $0.path == problem.path } }
        }
        guard problems.isEmpty else { throw ConfigError(file: file, problems: problems) }
        return config
    }

    // MARK: - Substitution

    static func substitute(
        _ node: Node, path: String, environment: [String: String], problems: inout [ConfigProblem], fallbacks: inout [ConfigFallback]
    ) -> Node {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.contains("${") else { return node }
            var copy = scalar
            copy.string = expand(scalar.string, path: path, environment: environment, problems: &problems, fallbacks: &fallbacks)
            return .scalar(copy)
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                let keyName = key.string ?? "?"
                let childPath = path.isEmpty ? keyName : path + "." + keyName
                pairs.append((key, substitute(value, path: childPath, environment: environment, problems: &problems, fallbacks: &fallbacks)))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style))
        case .sequence(let sequence):
            var nodes: [Node] = []
            for (index, value) in sequence.enumerated() {
                nodes.append(substitute(value, path: "\(path)[\(index)]", environment: environment, problems: &problems, fallbacks: &fallbacks))
            }
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style))
        case .alias:
            return node
        }
    }

    /// Expands every `${NAME}` / `${NAME:-default}` in `text`, recording in
    /// `fallbacks` each non-empty default used (a development value).
    static func expand(
        _ text: String, path: String, environment: [String: String], problems: inout [ConfigProblem], fallbacks: inout [ConfigFallback]
    ) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                problems.append(ConfigProblem(path, "unterminated ${ in value"))
                return result
            }
            let expression = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let separator = expression.range(of: ":-") {
                name = expression[..<separator.lowerBound]
                fallback = expression[separator.upperBound...]
            } else {
                name = expression
                fallback = nil
            }
            if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                result += value
            } else if let fallback {
                result += fallback
                if !fallback.isEmpty { fallbacks.append(ConfigFallback(path: path, variable: String(name))) }
            } else {
                problems.append(ConfigProblem(path, "environment variable \(name) is not set"))
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    // MARK: - Errors

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else if key.stringValue.hasPrefix("Index "), let index = Int(key.stringValue.dropFirst(6)) {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    static func describe(_ error: any Error) -> ConfigProblem {
        switch error {
        case let error as UnknownKeyError:
            let base = path(error.codingPath)
            return ConfigProblem(base.isEmpty ? error.key : base + "." + error.key, error.description)
        case DecodingError.keyNotFound(let key, let context):
            let base = path(context.codingPath)
            return ConfigProblem(base.isEmpty ? key.stringValue : base + "." + key.stringValue, "required key is missing")
        case DecodingError.typeMismatch(let type, let context):
            return ConfigProblem(path(context.codingPath), "expected \(typeName(type))")
        case DecodingError.valueNotFound(let type, let context):
            return ConfigProblem(path(context.codingPath), "expected \(typeName(type)), found nothing")
        case DecodingError.dataCorrupted(let context):
            return ConfigProblem(path(context.codingPath), "invalid value: \(context.debugDescription)")
        default:
            return ConfigProblem("", "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is [String].Type: return "a list of strings"
        default: return "a value of type \(type)"
        }
    }
}
