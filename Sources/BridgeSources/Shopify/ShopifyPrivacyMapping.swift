import BridgeCore

/// Shopify's mandatory compliance webhooks, as Shopify documents their
/// bodies:
///
/// ```json
/// customers/redact       {"shop_id": 954889, "shop_domain": "x.myshopify.com",
///                         "customer": {"id": 191167, "email": "…", "phone": "…"},
///                         "orders_to_redact": [299938, 280263]}
/// shop/redact            {"shop_id": 954889, "shop_domain": "x.myshopify.com"}
/// customers/data_request {"shop_id": 954889, "shop_domain": "x.myshopify.com",
///                         "orders_requested": [299938],
///                         "customer": {"id": 191167, "email": "…", "phone": "…"},
///                         "data_request": {"id": 9999}}
/// ```
///
/// Any customer field may be absent or null (a customer record can hold
/// only an e-mail address). Malformed ids are errors naming their pointer;
/// the values themselves never reach an error.
enum ShopifyPrivacyMapping {
    /// The request a compliance topic carries.
    /// - Parameter shopDomain: the `X-Shopify-Shop-Domain` header's domain, `-` when absent.
    static func request(topic: String, payload: JSONValue, shopDomain: String) throws(SourceError) -> PrivacyRequest {
        guard let kind = PrivacyRequest.Kind(rawValue: topic) else {
            throw SourceMapping.invalid(.root, "topic \(SourceMapping.describe(topic)) is not a compliance topic")
        }
        let bodyDomain = SourceMapping.headerToken(payload["shop_domain"]?.stringValue)?.lowercased()
        var request = PrivacyRequest(kind: kind, shopDomain: bodyDomain ?? shopDomain)
        guard kind != .shopRedact else { return request }
        let customer = payload["customer"]
        if let email = SourceMapping.text(customer?["email"], maxLength: SourceMapping.Limit.identifier) { request.email = PersonalData(email) }
        if let phone = SourceMapping.text(customer?["phone"], maxLength: SourceMapping.Limit.identifier) { request.phone = PersonalData(phone) }
        if let id = try SourceMapping.integerID(customer?["id"], at: JSONPointer(["customer", "id"])) { request.customerID = PersonalData(id) }
        let ordersKey = kind == .customerRedact ? "orders_to_redact" : "orders_requested"
        if let orders = SourceMapping.present(payload[ordersKey]) {
            guard let list = orders.arrayValue else { throw SourceMapping.invalid(JSONPointer([ordersKey]), "must be an array of order ids") }
            for (index, order) in list.enumerated() {
                request.orderIDs.append(try SourceMapping.requiredIntegerID(order, at: JSONPointer([ordersKey, String(index)])))
            }
        }
        if let id = try SourceMapping.integerID(payload[path: "data_request", "id"], at: JSONPointer(["data_request", "id"])) {
            request.requestID = id
        }
        return request
    }
}
