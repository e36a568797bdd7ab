import BridgeCore

/// One Reddit v3 conversion event, as `docs/destinations/reddit.md` and
/// Reddit's v3 direct-integration guide show it:
///
/// ```json
/// {"event_at": 1773500712000, "action_source": "WEBSITE",
///  "event_source_url": "https://…", "click_id": "<rdt_cid>",
///  "type": {"tracking_type": "PURCHASE"},
///  "metadata": {"conversion_id": "<event id>", "currency": "EUR", "value": 129.90,
///               "item_count": 3, "products": [{"id", "name"}]},
///  "user": {"email": "<sha256>", "phone_number": "<sha256>", "external_id": "<sha256>",
///           "ip_address": "<sha256>", "user_agent": "…",
///           "data_processing_options": {"modes": ["LDU"], "country": "US", "region": "US-CA"}}}
/// ```
///
/// - `event_at` is epoch **milliseconds** (an integer).
/// - `type.tracking_type` is Reddit's UPPER_SNAKE name; events Reddit has no
///   name for are `CUSTOM` with `custom_event_name` set to the canonical name.
/// - `metadata.conversion_id` is our event id, unhashed, as the Reddit Pixel
///   sends `conversionId`: Reddit deduplicates Pixel and CAPI copies on it.
/// - `value` is a JSON number in the currency's base unit, written from the
///   exact decimal (never through `Double`) with the currency's minor-unit
///   digits; `value` and `currency` are sent together, and only for the
///   types that carry a value (`PURCHASE`, `ADD_TO_CART`, `ADD_TO_WISHLIST`,
///   `LEAD`, `SIGN_UP`, `CUSTOM`); `item_count` only for `PURCHASE`,
///   `ADD_TO_CART`, `ADD_TO_WISHLIST` and `CUSTOM` (Segment's v3 rules).
/// - `user.email` (Reddit's canonical form), `phone_number` (`+E.164`),
///   `external_id` and `ip_address` are 64-lowercase-hex digests, never
///   anything else; `user_agent` and `click_id` (`rdt_cid`) are clear.
/// - `user.data_processing_options` only when Limited Data Use applies:
///   `modes: ["LDU"]` with `country` (ISO alpha-2) and `region`
///   (ISO 3166-2 `US-CA`) when known; without them Reddit locates the user.
///
/// Skip reasons (`ItemOutcome.skip`): `consent_suppressed` (also for an
/// attribution-only decision, which Reddit has no field for:
/// `canBeRendered(for: .reddit)`), `refund_not_supported` (Reddit has no
/// refund event), `no_identifiers`.
extension RedditDestination {
    /// Reddit's `tracking_type` for a canonical event; `nil` for refunds and
    /// `CUSTOM` for the events Reddit has no type for.
    static func trackingType(_ name: EventName) -> String? {
        switch name {
        case .purchase: "PURCHASE"
        case .addToCart: "ADD_TO_CART"
        case .addToWishlist: "ADD_TO_WISHLIST"
        case .viewContent: "VIEW_CONTENT"
        case .search: "SEARCH"
        case .lead: "LEAD"
        case .completeRegistration: "SIGN_UP"
        case .refund: nil
        default: "CUSTOM"
        }
    }

    /// Types whose metadata may carry `value` and `currency`.
    static let valueTypes: Set<String> = ["PURCHASE", "ADD_TO_CART", "ADD_TO_WISHLIST", "LEAD", "SIGN_UP", "CUSTOM"]
    /// Types whose metadata may carry `item_count`.
    static let itemCountTypes: Set<String> = ["PURCHASE", "ADD_TO_CART", "ADD_TO_WISHLIST", "CUSTOM"]

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        // Reddit carries LDU (`data_processing_options`) but has no attribution-only
        // field: such a decision must not be sent as if unrestricted.
        if consent.isSuppressed || !consent.limitedDataUse.canBeRendered(for: .reddit) { return .skip(reason: "consent_suppressed") }
        guard let trackingType = Self.trackingType(event.eventName) else { return .skip(reason: "refund_not_supported") }
        var user = Self.user(identifiers)
        let clickID = identifiers.clearValue(client: .clickID(.rdtCID))
        if user.hasNoMatchKey, clickID == nil { return .skip(reason: "no_identifiers") }
        if case .redditDataProcessing(let modes, let country, let region) = consent.limitedDataUse.fields(for: .reddit), !modes.isEmpty {
            user.dataProcessingOptions = RedditDataProcessingOptions(modes: modes, country: country, region: region)
        }
        return .item(
            RedditEvent(
                // Reddit refuses more than 5 minutes ahead by its own clock, which may lag ours.
                eventAt: min(event.eventTime, now).millisecondsSinceEpoch,
                actionSource: actionSource,
                eventSourceURL: eventSourceURL(for: event).map { ClearText($0) },
                clickID: clickID.map { ClearText($0) },
                type: RedditEventType(trackingType: trackingType, customEventName: trackingType == "CUSTOM" ? event.eventName.rawValue : nil),
                metadata: Self.metadata(event, trackingType: trackingType),
                user: user))
    }

    /// `user`: the hashed match keys (the IP address included, by Reddit's
    /// rules) and the clear user agent.
    static func user(_ identifiers: PreparedIdentifiers) -> RedditUser {
        RedditUser(
            email: identifiers.digest(.email), phoneNumber: identifiers.digest(.phone), externalID: identifiers.digest(.externalID),
            ipAddress: identifiers.digest(client: .ipAddress), userAgent: identifiers.clearValue(client: .userAgent).map { ClearText($0) })
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `event_source_url`.
    func eventSourceURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackEventSourceURL).resolve(for: event)
    }

    /// `metadata`: the conversion id always; value, currency, item count and
    /// products as the type allows.
    static func metadata(_ event: ConversionEvent, trackingType: String) -> RedditMetadata {
        var metadata = RedditMetadata(conversionID: event.eventID)
        if valueTypes.contains(trackingType), let money = event.value {
            metadata.value = JSONNumberText(money.amount.formatted(fractionDigits: money.currency.minorUnit))
            metadata.currency = money.currency.code
        }
        let order = OrderLines(event)
        guard !order.isEmpty else { return metadata }
        metadata.products = order.lines.map { RedditProduct(id: $0.id, name: $0.name) }
        if itemCountTypes.contains(trackingType) { metadata.itemCount = order.totalQuantity }
        return metadata
    }
}
