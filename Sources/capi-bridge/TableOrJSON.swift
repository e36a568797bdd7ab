import ArgumentParser

/// `--format` of `events show`: a table for people, JSON for scripts.
enum TableOrJSON: String, CaseIterable, ExpressibleByArgument {
    case table
    case json
}
