import BridgeServer
import Foundation

enum FileOutput {
    static func standardError(_ string: String) {
        ProcessStream.standardError.write(string)
    }
}
