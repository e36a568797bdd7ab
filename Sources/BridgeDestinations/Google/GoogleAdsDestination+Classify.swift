import BridgeCore

/// Reads an `uploadClickConversions` answer (`docs/destinations/google.md`
/// §B5). Requests are sent with `partialFailure: true`: Google answers 200
/// with `results[]` (an empty entry for each failed row) and a
/// `partialFailureError` (`google.rpc.Status` holding a `GoogleAdsFailure`)
/// whose errors locate their row with
/// `location.fieldPathElements: [{"fieldName": "conversions", "index": N}]`.
/// Errors outside the conversions (auth, quota, the request itself) fail the
/// whole call with Google's error envelope.
///
/// | answer | verdict |
/// |---|---|
/// | 2xx, no `partialFailureError` (or one without errors) | `delivered` (`validateOnly` answers carry no results) |
/// | 2xx with located row errors | `partial`: listed rows per the table below, the others delivered |
/// | 2xx, every row refused for account configuration | `authFailure`: destination paused |
/// | 2xx with a `partialFailureError` naming no row | as the whole-call error below |
/// | 2xx without a JSON body | `retry` (`unexpected_response`) |
/// | 401 `UNAUTHENTICATED`, 403 `PERMISSION_DENIED`, `authenticationError`, `authorizationError` (developer token, customer access) | `authFailure` |
/// | 404 `NOT_FOUND` | `authFailure`: wrong customer, version or `base_url` |
/// | 429 `RESOURCE_EXHAUSTED`, `quotaError` | `throttled(after:)` the later of `Retry-After` and `quotaErrorDetails.retryDelay` / `RetryInfo` |
/// | 500 `INTERNAL`, 503 `UNAVAILABLE`, 504 `DEADLINE_EXCEEDED`, `internalError`, `databaseError.CONCURRENT_MODIFICATION` | `retry(after:)` |
/// | 400, account-configuration code (below) | `authFailure` |
/// | 400 (or an unlocated `partialFailureError`), `TOO_RECENT_CONVERSION_ACTION`, `TOO_RECENT_EVENT`, `TOO_RECENT_CALL` | `retry` no earlier than 6 h |
/// | 400, `TOO_MANY_CONVERSIONS_IN_REQUEST` | `deadLetter(payload_too_large)`: the pipeline halves the batch |
/// | 400, other | `deadLetter(invalid_parameters)` with `suspectIndex` = the first `conversions[i]` located |
/// | no envelope, other status | `DeliveryVerdict.classify(status:…)` |
///
/// Row errors (`ConversionUploadError` and others):
///
/// | code | item verdict |
/// |---|---|
/// | `TOO_RECENT_EVENT`, `TOO_RECENT_CONVERSION_ACTION`, `TOO_RECENT_CALL` | `retry` no earlier than 6 h (the click or action is under 6 h old) |
/// | `INTERNAL_ERROR`, `TRANSIENT_ERROR`, `DEADLINE_EXCEEDED`, `RESOURCE_EXHAUSTED`, `RESOURCE_TEMPORARILY_EXHAUSTED`, `CONCURRENT_MODIFICATION` | `retry` |
/// | `CLICK_NOT_FOUND` | `deadLetter(click_not_found)`: expected for conversions not from a Google ad; not an alert |
/// | `EXPIRED_EVENT` | `deadLetter(event_too_old)` |
/// | `ORDER_ID_ALREADY_IN_USE`, `DUPLICATE_ORDER_ID`, `CLICK_CONVERSION_ALREADY_EXISTS` | `deadLetter(duplicate_conversion)`: usually uploaded before |
/// | `CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS`, `CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS`, `CUSTOMER_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS`, `NO_CONVERSION_ACTION_FOUND`, `INVALID_CONVERSION_ACTION_TYPE`, `UNAUTHORIZED_CUSTOMER` | `deadLetter(account_configuration)` |
/// | any other (`INVALID_USER_IDENTIFIER`, `UNPARSEABLE_GCLID`, `CONVERSION_PRECEDES_EVENT`, …) | `deadLetter(invalid_parameters)` |
extension GoogleAdsDestination {
    /// Codes that mean the click or the conversion action is too new: retry later.
    static let tooRecentCodes: Set<String> = ["TOO_RECENT_EVENT", "TOO_RECENT_CONVERSION_ACTION", "TOO_RECENT_CALL"]
    /// Codes of transient failures.
    static let transientCodes: Set<String> = [
        "INTERNAL_ERROR", "TRANSIENT_ERROR", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "RESOURCE_TEMPORARILY_EXHAUSTED",
        "CONCURRENT_MODIFICATION",
    ]
    /// Codes that mean the account or conversion action is set up wrong.
    static let accountConfigurationCodes: Set<String> = [
        "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS", "CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS",
        "CUSTOMER_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS", "NO_CONVERSION_ACTION_FOUND", "INVALID_CONVERSION_ACTION_TYPE",
        "UNAUTHORIZED_CUSTOMER",
    ]
    /// Codes that mean the conversion was (most likely) uploaded before.
    static let duplicateCodes: Set<String> = ["ORDER_ID_ALREADY_IN_USE", "DUPLICATE_ORDER_ID", "CLICK_CONVERSION_ALREADY_EXISTS"]
    /// Error categories that refuse the credentials.
    static let authCategories: Set<String> = ["authenticationError", "authorizationError"]

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let retryAfter = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        if let envelope = json?["error"], case .object = envelope {
            let error = GoogleAPIError(envelope, itemsField: "conversions")
            return Self.classifyCall(error, httpStatus: reply.status, retryAfter: retryAfter, now: now)
        }
        guard (200..<300).contains(reply.status) else {
            let summary = ResponseSummary.make(body: reply.body, limit: GoogleAPIError.messageLimit)
            return DeliveryVerdict.classify(status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: summary, now: now)
        }
        guard case .object? = json else {
            return .retry(after: retryAfter, reason: .platformTransient(code: "unexpected_response", message: "HTTP \(reply.status) without a JSON body"))
        }
        guard let status = json?["partialFailureError"], case .object = status else { return .delivered }
        let error = GoogleAPIError(status, itemsField: "conversions")
        let located = error.adsErrors.filter { $0.index.map { (0..<itemCount).contains($0) } ?? false }
        if located.isEmpty {
            // A status without errors (code 0) is no failure.
            guard !error.adsErrors.isEmpty || (error.code ?? 0) != 0 else { return .delivered }
            return Self.classifyCall(error, httpStatus: Self.httpStatus(grpcCode: error.code), retryAfter: retryAfter, now: now)
        }
        var failures: [Int: ItemVerdict] = [:]
        var configurationRows: Set<Int> = []
        for rowError in located {
            guard let index = rowError.index else { continue }
            if Self.accountConfigurationCodes.contains(rowError.code) { configurationRows.insert(index) }
            let verdict = Self.itemVerdict(rowError, now: now)
            // A refusal for good outweighs a retry for the same row.
            if case .deadLetter? = failures[index] { continue }
            failures[index] = verdict
        }
        if itemCount > 0, configurationRows.count == itemCount {
            return .authFailure(message: error.message)
        }
        return .partial(itemCount: itemCount, failures: failures)
    }

    /// The verdict for one row's error.
    /// A row too recent to attribute waits at least 6 h (google-ads.md §B4, §B5).
    static func itemVerdict(_ error: GoogleAPIError.GoogleAdsError, now: Timestamp) -> ItemVerdict {
        let message = ResponseSummary.make(
            body: Array("Google Ads \(error.platformCode)\(error.message.isEmpty ? "" : ": " + error.message)".utf8),
            limit: GoogleAPIError.messageLimit)
        if tooRecentCodes.contains(error.code) {
            return .retry(
                .platformTransient(code: error.platformCode, message: message), after: now.advanced(by: GoogleDestination.newConversionActionWait))
        }
        if transientCodes.contains(error.code) || error.category == "internalError"
            || error.category == "quotaError"
        {
            return .retry(.platformTransient(code: error.platformCode, message: message))
        }
        let code: DeadLetterReason.Code
        switch error.code {
        case "CLICK_NOT_FOUND": code = "click_not_found"
        case "EXPIRED_EVENT": code = .eventTooOld
        case _ where duplicateCodes.contains(error.code): code = "duplicate_conversion"
        case _ where accountConfigurationCodes.contains(error.code): code = "account_configuration"
        default: code = .invalidParameters
        }
        return .deadLetter(DeadLetterReason(code: code, message: message, platformCode: error.platformCode))
    }

    /// The verdict for an error that failed the whole call.
    static func classifyCall(_ error: GoogleAPIError, httpStatus: Int, retryAfter: Timestamp?, now: Timestamp) -> DeliveryVerdict {
        let after = GoogleDestination.later(retryAfter, error.retryDelay.map { now.advanced(by: $0) })
        let categories = Set(error.adsErrors.map(\.category))
        let codes = error.codes
        if ["UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND"].contains(error.status) || !categories.isDisjoint(with: authCategories) {
            return .authFailure(message: error.message)
        }
        if error.status == "RESOURCE_EXHAUSTED" || categories.contains("quotaError") || httpStatus == 429 {
            return .throttled(after: after)
        }
        if ["INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED", "UNKNOWN"].contains(error.status) || categories.contains("internalError")
            || codes.contains("CONCURRENT_MODIFICATION") || (500..<600).contains(httpStatus)
        {
            return .retry(after: after, reason: .platformTransient(code: error.platformCode, message: error.message))
        }
        if !codes.isDisjoint(with: accountConfigurationCodes) {
            return .authFailure(message: error.message)
        }
        if !codes.isDisjoint(with: tooRecentCodes) {
            // Google asks to retry these after at least 6 h (google-ads.md §B4, §B5).
            let floor = now.advanced(by: GoogleDestination.newConversionActionWait)
            return .retry(after: max(after ?? floor, floor), reason: .platformTransient(code: error.platformCode, message: error.message))
        }
        if codes.contains("TOO_MANY_CONVERSIONS_IN_REQUEST") {
            return .deadLetter(DeadLetterReason(code: .payloadTooLarge, message: error.message, platformCode: error.platformCode))
        }
        if httpStatus == 401 || httpStatus == 403 { return .authFailure(message: error.message) }
        if (400..<500).contains(httpStatus) {
            let code: DeadLetterReason.Code = codes.contains("EXPIRED_EVENT") ? .eventTooOld : .invalidParameters
            return .deadLetter(DeadLetterReason(code: code, message: error.message, platformCode: error.platformCode, suspectIndex: error.eventIndices.first))
        }
        return .retry(after: after, reason: .platformTransient(code: error.platformCode, message: error.message))
    }

    /// The HTTP status Google maps a gRPC code to (a `partialFailureError`
    /// carries the gRPC code): 3 → 400, 16 → 401, 7 → 403, 5 → 404, 8 → 429, 14 → 503, other → 500.
    static func httpStatus(grpcCode: Int?) -> Int {
        switch grpcCode {
        case 3?, 9?, 11?: return 400
        case 16?: return 401
        case 7?: return 403
        case 5?: return 404
        case 8?: return 429
        case 14?: return 503
        case 4?: return 504
        default: return 500
        }
    }
}
