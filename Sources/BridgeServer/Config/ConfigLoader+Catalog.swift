import BridgeCore

extension ConfigLoader {
    /// Every key the loader asks for while reading (and validating) `text`,
    /// with the kind of value it takes: sections and lists are entered only
    /// where `text` has them, so a file that holds every section and one
    /// entry of every list (of every kind) yields the whole catalog.
    /// Problems in `text` do not stop the reading.
    public static func keyCatalog(_ text: String, environment: [String: String] = [:]) -> ConfigKeyCatalog {
        let recorder = ConfigKeyRecorder()
        ConfigKeyRecorder.$current.withValue(recorder) {
            _ = try? parse(text, environment: environment)
        }
        return recorder.catalog
    }
}
