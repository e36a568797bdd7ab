import BridgeCore

/// Shopify's GraphQL Admin API `orders` query, for reconciliation: the query,
/// its variables, and the mapping of one order node to the event its
/// `orders/paid` webhook would have produced.
///
/// The node is rewritten into the REST shape the webhook carries (`id` =
/// `legacyResourceId`, the number inside `gid://shopify/Order/<id>`;
/// `total_price`/`currency` = `totalPriceSet.shopMoney`; `processed_at`,
/// `email`, `phone`, `browser_ip` = `clientIp`, `customer`, `billing_address`,
/// `shipping_address`, `note_attributes` = `customAttributes`, `landing_site`
/// = the first visit's landing page, `line_items`) and mapped by
/// `ShopifyMapping.purchase`: the same code, so the event id
/// (`sale:<source>:<order id>`) and the fields agree with the webhook's.
///
/// Counted: orders whose `displayFinancialStatus` is paid, partially paid,
/// partially refunded or refunded (each had a paid webhook), or one of the
/// source's `count_financial_statuses`; never a cancelled order (the webhook
/// path ignores those).
public enum ShopifyOrderListing {
    /// The query, one page of `first` orders after the cursor `after`,
    /// filtered by the search `query` and sorted by processing time.
    public static let query = """
        query ReconcileOrders($first: Int!, $after: String, $query: String) {
          orders(first: $first, after: $after, query: $query, sortKey: PROCESSED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes {
              id legacyResourceId name processedAt createdAt cancelledAt test displayFinancialStatus
              totalPriceSet { shopMoney { amount currencyCode } }
              email phone clientIp
              customer {
                legacyResourceId firstName lastName
                defaultEmailAddress { emailAddress }
                defaultPhoneNumber { phoneNumber }
                emailMarketingConsent { marketingState }
                smsMarketingConsent { marketingState }
              }
              billingAddress { firstName lastName phone city province provinceCode zip countryCodeV2 }
              shippingAddress { firstName lastName phone city province provinceCode zip countryCodeV2 }
              customAttributes { key value }
              customerJourneySummary { firstVisit { landingPage } }
              lineItems(first: 100) {
                nodes { name sku quantity product { legacyResourceId } variant { legacyResourceId } originalUnitPriceSet { shopMoney { amount } } }
              }
            }
          }
        }
        """

    /// Orders per page: the query's requested cost stays well under Shopify's
    /// single-query limit (1,000 points) with 100 line items each.
    public static let pageSize = 50

    /// The statuses that had a paid webhook.
    static let paidStatuses: Set<String> = ["paid", "partially_paid", "partially_refunded", "refunded"]

    /// The search filter for orders processed in `[since, until)`.
    public static func searchQuery(since: Timestamp, until: Timestamp) -> String {
        "processed_at:>='\(since.rfc3339)' processed_at:<'\(until.rfc3339)'"
    }

    /// The request body for one page.
    public static func body(first: Int, after cursor: String?, since: Timestamp, until: Timestamp) -> JSONValue {
        .object([
            "query": .string(query),
            "variables": .object([
                "first": .number(String(first)), "after": cursor.map(JSONValue.string) ?? .null,
                "query": .string(searchQuery(since: since, until: until)),
            ]),
        ])
    }

    /// The sale one order node stands for, or `nil` when it is not a counted
    /// sale (cancelled, not paid).
    /// - Throws: `SourceError.payload` naming the member when the node is
    ///   malformed (its id, time, value or currency).
    public static func order(node: JSONValue, settings: SourceSettings, now: Timestamp) throws(SourceError) -> ListedOrder? {
        guard case .object = node else { throw SourceMapping.invalid(.root, "an order node must be an object") }
        if let cancelled = node["cancelledAt"], !cancelled.isNull { return nil }
        let status = node["displayFinancialStatus"]?.stringValue?.lowercased() ?? ""
        let counted = paidStatuses.union(ShopifySource(settings: settings).countFinancialStatuses)
        guard counted.contains(status) else { return nil }
        let event = try ShopifyMapping(source: settings.name, now: now).purchase(restShape(node, status: status))
        return ListedOrder(event: event)
    }

    /// The node in the REST (webhook) shape `ShopifyMapping` reads.
    static func restShape(_ node: JSONValue, status: String) throws(SourceError) -> JSONValue {
        var order: [String: JSONValue] = [:]
        order["id"] = try legacyID(node)
        order["financial_status"] = .string(status)
        order["processed_at"] = node["processedAt"]
        order["created_at"] = node["createdAt"]
        order["test"] = node["test"]
        if let money = node[path: "totalPriceSet", "shopMoney"] {
            order["total_price"] = money["amount"]
            order["currency"] = money["currencyCode"]
        }
        order["email"] = node["email"]
        order["phone"] = node["phone"]
        order["browser_ip"] = node["clientIp"]
        if let customer = node["customer"], case .object = customer {
            var rest: [String: JSONValue] = [
                "first_name": customer["firstName"] ?? .null, "last_name": customer["lastName"] ?? .null,
                "email": customer[path: "defaultEmailAddress", "emailAddress"] ?? .null,
                "phone": customer[path: "defaultPhoneNumber", "phoneNumber"] ?? .null,
            ]
            if let id = customer["legacyResourceId"]?.scalarText { rest["id"] = .number(id) }
            for (graph, key) in [("emailMarketingConsent", "email_marketing_consent"), ("smsMarketingConsent", "sms_marketing_consent")] {
                if let state = customer[path: graph, "marketingState"]?.stringValue { rest[key] = .object(["state": .string(state.lowercased())]) }
            }
            order["customer"] = .object(rest)
        }
        order["billing_address"] = address(node["billingAddress"])
        order["shipping_address"] = address(node["shippingAddress"])
        order["note_attributes"] = .array(
            (node["customAttributes"]?.arrayValue ?? []).map { .object(["name": $0["key"] ?? .null, "value": $0["value"] ?? .null]) })
        order["landing_site"] = node[path: "customerJourneySummary", "firstVisit", "landingPage"]
        order["line_items"] = .array((node[path: "lineItems", "nodes"]?.arrayValue ?? []).map(lineItem))
        return .object(order)
    }

    /// `legacyResourceId`, else the number at the end of the `gid://shopify/Order/<id>`.
    static func legacyID(_ node: JSONValue) throws(SourceError) -> JSONValue {
        if let id = node["legacyResourceId"]?.scalarText { return .number(id) }
        if let gid = node["id"]?.stringValue, gid.hasPrefix("gid://shopify/Order/") {
            let tail = gid.dropFirst("gid://shopify/Order/".count).prefix { $0 != "?" }
            return .number(String(tail))
        }
        throw SourceMapping.invalid(JSONPointer(["legacyResourceId"]), "required order id is missing")
    }

    /// A GraphQL `LineItem` in the REST line shape.
    static func lineItem(_ line: JSONValue) -> JSONValue {
        var rest: [String: JSONValue] = [:]
        rest["name"] = line["name"] ?? .null
        rest["sku"] = line["sku"] ?? .null
        rest["quantity"] = line["quantity"] ?? .null
        let product: String? = line[path: "product", "legacyResourceId"]?.scalarText
        let variant: String? = line[path: "variant", "legacyResourceId"]?.scalarText
        rest["product_id"] = product.map { JSONValue.number($0) } ?? .null
        rest["variant_id"] = variant.map { JSONValue.number($0) } ?? .null
        rest["price"] = line[path: "originalUnitPriceSet", "shopMoney", "amount"] ?? .null
        return .object(rest)
    }

    /// A GraphQL `MailingAddress` in the REST address shape.
    static func address(_ value: JSONValue?) -> JSONValue {
        guard let value, case .object = value else { return .null }
        return .object([
            "first_name": value["firstName"] ?? .null, "last_name": value["lastName"] ?? .null, "phone": value["phone"] ?? .null,
            "city": value["city"] ?? .null, "province": value["province"] ?? .null, "province_code": value["provinceCode"] ?? .null,
            "zip": value["zip"] ?? .null, "country_code": value["countryCodeV2"] ?? .null,
        ])
    }
}
