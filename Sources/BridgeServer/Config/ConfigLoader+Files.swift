import BridgeCore
import BridgeDestinations
import Foundation

extension ConfigLoader {
    /// Replaces every destination key that may name a file
    /// (`DestinationRegistry.fileKeys(kind:)`, e.g. a Google
    /// `service_account_json`) by that file's text, so that destinations
    /// receive contents and read no files. A value starting with `{` is the
    /// file's text already and stays; a relative path is relative to the
    /// working directory.
    /// - Parameters:
    ///   - destinations: The `destinations:` entries, updated in place.
    ///   - read: Reads a file; `nil` when it cannot be read.
    /// - Returns: A problem at the key's path for each file that cannot be
    ///   read; never the path or the file's contents.
    static func readDestinationFiles(
        _ destinations: inout [DestinationConfig], read: (String) -> [UInt8]? = { FileManager.default.contents(atPath: $0).map { Array($0) } }
    ) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for index in destinations.indices {
            for key in DestinationRegistry.fileKeys(kind: destinations[index].kind) {
                guard let path = destinations[index].settings[key]?.stringValue?.trimmingWhitespace(), !path.isEmpty, !path.hasPrefix("{") else {
                    continue
                }
                guard let bytes = read(path) else {
                    problems.append(ConfigProblem("destinations[\(index)].\(key)", "must be the path of a readable key file or the key file's JSON"))
                    continue
                }
                destinations[index].settings[key] = .string(String(decoding: bytes, as: UTF8.self))
            }
        }
        return problems
    }
}
