import BridgeCore

/// The parts of Google's standard error envelope (AIP-193) that the `google`
/// and `google_ads` classifiers act on:
///
/// ```json
/// {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "…",
///   "details": [
///     {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_HEX_ENCODING", "domain": "datamanager.googleapis.com"},
///     {"@type": "type.googleapis.com/google.rpc.BadRequest",
///      "fieldViolations": [{"field": "events[3].userData.userIdentifiers[0].emailAddress", "description": "…", "reason": "…"}]},
///     {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"},
///     {"@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
///      "errors": [{"errorCode": {"quotaError": "RESOURCE_EXHAUSTED"}, "message": "…",
///                  "location": {"fieldPathElements": [{"fieldName": "conversions", "index": 3}]},
///                  "details": {"quotaErrorDetails": {"retryDelay": "30s"}}}]}]}}
/// ```
///
/// Also reads a `google.rpc.Status` without the `error` wrapper (the Ads
/// API's `partialFailureError`). Messages are summarized by
/// `ResponseSummary` (personal data redacted, at most 300 characters).
struct GoogleAPIError {
    /// The numeric `code` (HTTP status, or gRPC code in a `partialFailureError`).
    var code: Int?
    /// The canonical status name (`INVALID_ARGUMENT`), `""` when absent.
    var status: String
    /// `ErrorInfo.reason` and field-violation reasons, in order.
    var reasons: [String]
    /// `BadRequest.fieldViolations[].field`, in order.
    var fieldPaths: [String]
    /// The Google Ads errors, in order.
    var adsErrors: [GoogleAdsError]
    /// The longest `retryDelay` given (`RetryInfo` or `quotaErrorDetails`).
    var retryDelay: Duration?
    /// `message` and the violation descriptions, summarized.
    var message: String

    /// The longest message a verdict carries.
    static let messageLimit = 300

    /// One `GoogleAdsError`: `errorCode` is an object with one member,
    /// `{"conversionUploadError": "TOO_RECENT_EVENT"}`.
    struct GoogleAdsError {
        /// `conversionUploadError`, `quotaError`, `authenticationError`, …
        var category: String
        /// `TOO_RECENT_EVENT`, …
        var code: String
        /// The `index` of the location's `conversions` element, when it names one.
        var index: Int?
        var message: String

        /// `category.code`, the platform code recorded with a dead letter.
        var platformCode: String { "\(category).\(code)" }
    }

    /// Reads `status`: the object inside `error`, or a `google.rpc.Status`.
    /// - Parameter itemsField: The request's list field (`events`, `conversions`),
    ///   whose index a violation or location names.
    init(_ status: JSONValue, itemsField: String) {
        code = status["code"]?.scalarText.flatMap { Int($0) }
        self.status = status["status"]?.nonBlankString ?? ""
        reasons = []
        fieldPaths = []
        adsErrors = []
        retryDelay = nil
        var descriptions: [String] = []
        for detail in status["details"]?.arrayValue ?? [] {
            if let reason = detail["reason"]?.nonBlankString { reasons.append(reason) }
            if let delay = detail["retryDelay"]?.stringValue.flatMap(Self.duration) { retryDelay = max(retryDelay ?? delay, delay) }
            for violation in detail["fieldViolations"]?.arrayValue ?? [] {
                if let field = violation["field"]?.nonBlankString { fieldPaths.append(field) }
                if let reason = violation["reason"]?.nonBlankString { reasons.append(reason) }
                if let description = violation["description"]?.nonBlankString { descriptions.append(description) }
            }
            for error in detail["errors"]?.arrayValue ?? [] {
                guard case .object(let codes)? = error["errorCode"], let (category, value) = codes.first(where: { $0.value.stringValue != nil }),
                    let code = value.stringValue
                else { continue }
                var index: Int?
                for element in error["location"]?["fieldPathElements"]?.arrayValue ?? [] where element["fieldName"]?.stringValue == itemsField {
                    index = element["index"]?.scalarText.flatMap { Int($0) }
                    break
                }
                let text = error["message"]?.nonBlankString ?? ""
                adsErrors.append(GoogleAdsError(category: category, code: code, index: index, message: text))
                if let delay = error["details"]?["quotaErrorDetails"]?["retryDelay"]?.stringValue.flatMap(Self.duration) {
                    retryDelay = max(retryDelay ?? delay, delay)
                }
            }
        }
        var parts: [String] = []
        if let text = status["message"]?.nonBlankString { parts.append(text) }
        parts += descriptions
        parts += adsErrors.map { "\($0.platformCode)\($0.message.isEmpty ? "" : ": " + $0.message)" }
        var seen: Set<String> = []
        let label = [self.status, reasons.first ?? adsErrors.first?.platformCode ?? ""].filter { !$0.isEmpty }.joined(separator: "/")
        let text = parts.filter { seen.insert($0).inserted }.joined(separator: " | ")
        message = ResponseSummary.make(body: Array("Google \(label.isEmpty ? "error" : label): \(text)".utf8), limit: Self.messageLimit)
        // Field paths name the item list in the request's own spelling.
        eventIndices = fieldPaths.compactMap { Self.index(in: $0, of: itemsField) } + adsErrors.compactMap(\.index)
    }

    /// Indices of the items the error names, from field violations and locations, in order.
    var eventIndices: [Int] = []

    /// The platform code recorded with a verdict: the first reason, else the status.
    var platformCode: String {
        reasons.first ?? adsErrors.first?.platformCode ?? (status.isEmpty ? code.map { String($0) } ?? "unknown" : status)
    }

    /// Every code the error carries, for matching: reasons and Ads codes.
    var codes: Set<String> { Set(reasons + adsErrors.map(\.code)) }

    /// The index in `events[3].userData…` (or `events.3`) for `field` `events`.
    static func index(in path: String, of field: String) -> Int? {
        var rest = Substring(path)
        guard rest.hasPrefix(field) else { return nil }
        rest = rest.dropFirst(field.count)
        guard let opener = rest.first, opener == "[" || opener == "." else { return nil }
        let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        return Int(digits)
    }

    /// A protobuf JSON `Duration` (`"30s"`, `"1.5s"`), rounded up to whole milliseconds.
    static func duration(_ text: String) -> Duration? {
        guard text.hasSuffix("s") else { return nil }
        let number = text.dropLast()
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let secondsText = parts.first, !secondsText.isEmpty, secondsText.count <= 9, let seconds = Int64(secondsText), seconds >= 0
        else { return nil }
        var millis: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let padded = String((fraction + "000").prefix(3))
            millis = Int64(padded) ?? 0
            if fraction.count > 3, fraction.dropFirst(3).contains(where: { $0 != "0" }) { millis += 1 }
        }
        return .milliseconds(seconds * 1000 + millis)
    }
}
