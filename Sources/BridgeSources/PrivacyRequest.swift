import BridgeCore

/// A verified privacy request from a platform: Shopify's mandatory
/// compliance webhooks (`customers/redact`, `shop/redact`,
/// `customers/data_request`). The adapter only reads it; the server carries
/// it out (erasure, inventory, alert) and answers 200.
public struct PrivacyRequest: Sendable {
    /// What is asked.
    public enum Kind: String, Sendable, CaseIterable {
        /// Erase what the bridge holds for one customer of the shop.
        case customerRedact = "customers/redact"
        /// Erase everything the bridge holds for the shop (48 hours after it
        /// uninstalled the app).
        case shopRedact = "shop/redact"
        /// Report what the bridge holds for one customer (the merchant answers
        /// the customer; the bridge tells its operator).
        case customerDataRequest = "customers/data_request"
    }

    public var kind: Kind
    /// The shop's `*.myshopify.com` domain (not personal data).
    public var shopDomain: String
    /// The customer's e-mail address, phone number and Shopify customer id
    /// (the events' external id); personal data, never logged.
    public var email: PersonalData?
    public var phone: PersonalData?
    public var customerID: PersonalData?
    /// The orders concerned (`orders_to_redact`, `orders_requested`): their
    /// events are found by event id even when they carry no identifier.
    public var orderIDs: [String]
    /// Shopify's id of a data request (`data_request.id`).
    public var requestID: String?

    public init(
        kind: Kind, shopDomain: String, email: PersonalData? = nil, phone: PersonalData? = nil, customerID: PersonalData? = nil,
        orderIDs: [String] = [], requestID: String? = nil
    ) {
        self.kind = kind
        self.shopDomain = shopDomain
        self.email = email
        self.phone = phone
        self.customerID = customerID
        self.orderIDs = orderIDs
        self.requestID = requestID
    }

    /// Whether the request names a customer to look for.
    public var namesCustomer: Bool { email != nil || phone != nil || customerID != nil || !orderIDs.isEmpty }
}
