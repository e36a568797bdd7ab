/// One line of an order.
public struct LineItem: Sendable, Equatable {
    /// Product or SKU id as the merchant knows it.
    public var id: String
    public var name: String?
    public var quantity: Int
    /// Unit price in the event's currency, before discounts.
    public var unitPrice: Money.Amount?

    public init(id: String, name: String? = nil, quantity: Int, unitPrice: Money.Amount? = nil) {
        self.id = id
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
    }
}
