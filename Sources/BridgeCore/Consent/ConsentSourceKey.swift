/// The `ConsentSignals.sourceSignals` keys the source adapters write, and how
/// the consent stage reads them.
///
/// - WooCommerce's `_capi_consent_ad_user_data`, `_capi_consent_ad_personalization`,
///   `_capi_gpc` and `_capi_tcf_string` order meta are the storefront's copy
///   of Consent Mode, GPC and the TC string: they count exactly like the
///   canonical fields. When both are present, the more restrictive wins
///   (a denial beats a grant, an opt-out beats none); the canonical TC string
///   wins over the meta copy.
/// - Shopify's `buyer_accepts_marketing`, `email_marketing_consent.state`,
///   `sms_marketing_consent.state` and Stripe's `consent.promotions` record
///   consent to **marketing messages** (newsletters, SMS), not to ad tracking
///   or sharing data with ad platforms. They never grant or deny ad consent,
///   unless a policy sets `marketing_consent_as_ad_consent: true`, and then
///   only as a weak grant where nothing else decides.
public enum ConsentSourceKey {
    /// `"true"` / `"false"`.
    public static let shopifyBuyerAcceptsMarketing = "shopify.buyer_accepts_marketing"
    /// `subscribed`, `not_subscribed`, `unsubscribed`, `pending`, `redacted`, `invalid`.
    public static let shopifyEmailMarketingState = "shopify.email_marketing_consent.state"
    /// Same values as the e-mail state.
    public static let shopifySMSMarketingState = "shopify.sms_marketing_consent.state"
    /// `opt_in` / `opt_out`.
    public static let stripePromotions = "stripe.consent.promotions"
    /// `granted` / `denied`.
    public static let wooCommerceAdUserData = "woocommerce._capi_consent_ad_user_data"
    /// `granted` / `denied`.
    public static let wooCommerceAdPersonalization = "woocommerce._capi_consent_ad_personalization"
    /// `1` / `0` / `true` / `false`.
    public static let wooCommerceGPC = "woocommerce._capi_gpc"
    /// A TC string.
    public static let wooCommerceTCFString = "woocommerce._capi_tcf_string"
}
