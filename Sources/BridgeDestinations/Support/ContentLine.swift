import BridgeCore

/// One order line in `custom_data.contents`, as Meta and Snap take it:
/// `{"id", "quantity", "item_price"?}`.
struct ContentLine: Encodable, Sendable, Equatable {
    var id: String
    var quantity: Int
    /// The unit price, a JSON number from the exact decimal (`34.00`).
    var itemPrice: JSONNumberText?

    enum CodingKeys: String, CodingKey {
        case id, quantity
        case itemPrice = "item_price"
    }
}
