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
        // An unset variable is a problem at its key; reading goes on so that
        // one run reports everything.
        let substituted = substitute(root, path: "", environment: environment, problems: &problems, fallbacks: &fallbacks)
        let tree: JSONValue
        do {
            tree = try YAMLDecoder().decode(JSONValue.self, from: substituted)
        } catch {
            throw ConfigError(file: file, problems: [ConfigProblem("", "not valid YAML: \(error)")])
        }
        var config = BridgeConfig(ConfigReader(tree, path: "", problems: &problems), problems: &problems)
        config.fallbacks = fallbacks
        // Validation and the routes see the values that were read; a check on
        // a key whose value (or an entry of whose list) could not be read
        // would only repeat that problem.
        let structural = problems
        func isNew(_ problem: ConfigProblem) -> Bool {
            !structural.contains { known in
                known.path.isEmpty || problem.path == known.path || problem.path.hasPrefix(known.path + ".")
                    || problem.path.hasPrefix(known.path + "[") || known.path.hasPrefix(problem.path + "[")
            }
        }
        problems += validate(config).filter(isNew)
        let fileProblems = readDestinationFiles(&config.destinations)
        problems += fileProblems
        do { _ = try PipelineFactory.routes(config) } catch {
            // A key whose file could not be read is reported once, by the line above.
            problems += error.problems.filter { problem in isNew(problem) && !fileProblems.contains { $0.path == problem.path } }
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
}
