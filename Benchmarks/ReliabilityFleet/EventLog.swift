import BridgeCore
import BridgeMocks
import Foundation
import Synchronization

/// The fleet's append-only record of accepted events: `kind<TAB>event
/// id<TAB>order id` per line, written as each request is answered.
final class EventLog: Sendable {
    private let handle: Mutex<FileHandle>

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = Mutex(handle)
    }

    func append(kind: String, request: MockHTTPRequest, acceptedIDs: [String]) {
        let orders = Self.orderIDs(request.json)
        var text = ""
        for id in acceptedIDs {
            text += "\(kind)\t\(id)\t\(orders[id] ?? "-")\n"
        }
        let data = Data(text.utf8)
        handle.withLock { $0.write(data) }
    }

    /// Event id → order id, for platforms whose items carry both (`data[]`
    /// with `event_id` and `custom_data.order_id` (Meta) or
    /// `properties.order_id` (TikTok)).
    static func orderIDs(_ json: JSONValue?) -> [String: String] {
        var orders: [String: String] = [:]
        for item in json?["data"]?.arrayValue ?? [] {
            guard let id = item["event_id"]?.stringValue else { continue }
            if let order = item["custom_data"]?["order_id"]?.stringValue ?? item["properties"]?["order_id"]?.stringValue {
                orders[id] = order
            }
        }
        return orders
    }
}
