/// The standard conversion event names (Meta's standard events, which the
/// other platforms map from), plus `Refund`.
public enum EventName: String, Sendable, CaseIterable, Codable, Hashable {
    case purchase = "Purchase"
    case refund = "Refund"
    case addPaymentInfo = "AddPaymentInfo"
    case addToCart = "AddToCart"
    case addToWishlist = "AddToWishlist"
    case completeRegistration = "CompleteRegistration"
    case contact = "Contact"
    case customizeProduct = "CustomizeProduct"
    case donate = "Donate"
    case findLocation = "FindLocation"
    case initiateCheckout = "InitiateCheckout"
    case lead = "Lead"
    case schedule = "Schedule"
    case search = "Search"
    case startTrial = "StartTrial"
    case submitApplication = "SubmitApplication"
    case subscribe = "Subscribe"
    case viewContent = "ViewContent"
}
