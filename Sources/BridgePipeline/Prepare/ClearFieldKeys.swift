import BridgeCore
import BridgeDestinations

/// A destination's `clearFieldPaths` with their RFC 6901 text: the keys
/// under which an item's clear fields are sealed apart from it. Built once
/// per destination, so splitting an item at prepare time and joining it back
/// at send time neither print nor parse a pointer.
public struct ClearFieldKeys: Sendable {
    public let entries: [(text: String, pointer: JSONPointer)]

    public init(_ paths: [JSONPointer]) {
        entries = paths.map { ($0.description, $0) }
    }
}
