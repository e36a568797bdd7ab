import BridgeCore

/// One source-of-truth API (a shop's or payment provider's own API, the one
/// reconciliation reads) as `MockSourceServer` plays it: which requests it
/// answers and how, with the platform's paging, throttling and errors. One
/// folder per source conforms to it (`MockShopifyAdminAPI`, `MockStripeAPI`,
/// `MockWooCommerceAPI`, `MockOrdersEndpoint`).
public protocol MockSourceAPI: Sendable {
    /// `shopify`, `stripe`, …: for messages.
    var name: String { get }
    /// The answer to `request`, received at `now` (the mock's clock, for
    /// throttles that restore over time).
    func respond(to request: MockHTTPRequest, now: ContinuousClock.Instant) -> MockHTTPResponse
}

/// A request a source mock answered, with when it arrived, for assertions
/// (paging followed, throttle waited for).
public struct MockSourceExchange: Sendable {
    public var request: MockHTTPRequest
    public var status: Int
    public var responseBody: [UInt8]
    /// When the request arrived, on the mock's monotonic clock.
    public var receivedAt: ContinuousClock.Instant

    /// The answer as JSON.
    public var responseJSON: JSONValue? { try? JSONParser.parse(responseBody) }
}

/// One sale as the source mocks list it, in the neutral form each mock
/// renders in its platform's own shape.
public struct MockOrder: Sendable, Equatable {
    /// The numeric order id (Shopify, WooCommerce); Stripe ids derive from it (`pi_…`).
    public var id: Int64
    public var paidAt: Timestamp
    /// Decimal amount in `currency`'s digits (`"49.90"`).
    public var amount: String
    public var currency: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var country: String?
    public var ipAddress: String?
    public var isTest: Bool
    /// Shopify `displayFinancialStatus`, lowercased (`paid`, `pending`, …).
    public var financialStatus: String
    public var cancelled: Bool

    public init(
        id: Int64, paidAt: Timestamp, amount: String, currency: String = "EUR", email: String? = nil, firstName: String? = nil,
        lastName: String? = nil, phone: String? = nil, country: String? = nil, ipAddress: String? = nil, isTest: Bool = false,
        financialStatus: String = "paid", cancelled: Bool = false
    ) {
        self.id = id
        self.paidAt = paidAt
        self.amount = amount
        self.currency = currency
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.country = country
        self.ipAddress = ipAddress
        self.isTest = isTest
        self.financialStatus = financialStatus
        self.cancelled = cancelled
    }

    /// `amount` in integer minor units with `exponent` decimals (Stripe).
    public func minorUnits(exponent: Int) -> Int64 {
        let amount = Money.Amount(amount) ?? Money.Amount(units: 0, scale: 0)
        return amount.rescaled(to: exponent).units
    }
}
