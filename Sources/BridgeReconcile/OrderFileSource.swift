import BridgeCore
import Foundation

/// A custom backend's export on disk (`--orders FILE`): CSV with the header
/// `order_id,paid_at,value,currency` or JSON lines with the same keys
/// (`OrderFile`), joined on the events' `order_id`.
public struct OrderFileSource: OrderSource {
    public var description: String { "orders-file" }
    public var canBackfill: Bool { false }
    public var joinsOnOrderID: Bool { true }

    let path: String
    /// The largest file read.
    static let maxBytes = 512 << 20

    public init(path: String) {
        self.path = path
    }

    /// Every order in the file paid in `[since, until)` (the rest of the file is ignored).
    /// - Throws: `SourceClientError.misconfigured` when the file cannot be read,
    ///   `.badAnswer` naming the line and column of the first malformed record.
    public func orders(since: Timestamp, until: Timestamp) async throws(SourceClientError) -> FetchedOrders {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > Self.maxBytes {
                throw SourceClientError(.misconfigured, "\(path) is larger than \(Self.maxBytes >> 20) MiB")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as SourceClientError {
            throw error
        } catch {
            throw SourceClientError(.misconfigured, "cannot read \(path)")
        }
        do {
            let orders = try OrderFile.parse(Array(data))
            return FetchedOrders(orders: orders)
        } catch {
            throw SourceClientError(.badAnswer, "\(path): \(error.description)")
        }
    }
}
