/// One conversion (a purchase, a refund, …) in the bridge's canonical form,
/// whatever source it came from.
///
/// Its JSON shape is the `data` object of the canonical webhook payload
/// (`config/schema/conversion-event.schema.json`, schema version
/// `ConversionEvent.schemaVersion`); see `ConversionEvent+JSON`.
public struct ConversionEvent: Sendable, Equatable {
    /// Stable id derived from the sale (see `docs/event-ids.md`); the ad
    /// platforms deduplicate on it, also against the browser pixel.
    public var eventID: String
    public var eventName: EventName
    /// When the conversion happened (not when the webhook arrived).
    public var eventTime: Timestamp
    /// The configured source name the event arrived through (`shop-eu`).
    public var source: String
    /// The merchant's order id, when there is one.
    public var orderID: String?
    /// The value and its currency; `nil` for events without a value.
    public var value: Money?
    public var lineItems: [LineItem]
    public var customer: CustomerIdentifiers
    public var client: ClientContext
    public var consent: ConsentSignals
    /// A test order (Stripe `livemode: false`, Shopify `test`, WooPayments test mode).
    public var isTest: Bool
    /// The landing URL's `utm_*` parameters (clear: campaigns, not people).
    public var attribution: CampaignAttribution
    /// Merchant-defined parameters, forwarded where a platform takes them.
    public var customProperties: CustomProperties

    public init(
        eventID: String,
        eventName: EventName,
        eventTime: Timestamp,
        source: String,
        orderID: String? = nil,
        value: Money? = nil,
        lineItems: [LineItem] = [],
        customer: CustomerIdentifiers = .init(),
        client: ClientContext = .init(),
        consent: ConsentSignals = .init(),
        isTest: Bool = false,
        attribution: CampaignAttribution = .init(),
        customProperties: CustomProperties = .init()
    ) {
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.source = source
        self.orderID = orderID
        self.value = value
        self.lineItems = lineItems
        self.customer = customer
        self.client = client
        self.consent = consent
        self.isTest = isTest
        self.attribution = attribution
        self.customProperties = customProperties
    }
}

extension ConversionEvent {
    /// The canonical schema version this bridge reads and writes
    /// (`schema_version`; absent means 1). Optional properties are added
    /// without a new version (bridges ignore what they do not know); a
    /// removed or renamed property, or a changed meaning, raises it.
    public static let schemaVersion = 1
}
