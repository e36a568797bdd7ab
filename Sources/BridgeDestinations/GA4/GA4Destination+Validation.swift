import BridgeCore

extension GA4Destination {
    /// With `validation_sample_rate` above 0 (and not already sending to the
    /// validation server), a sample of requests is also sent to
    /// `/debug/mp/collect`, which records nothing.
    public var validationSampler: (any ValidationSampler)? {
        guard validationSampleRate > 0, !validateOnly else { return nil }
        return GA4ValidationSampler(
            sampleRate: validationSampleRate, url: baseURL + "/debug/mp/collect?" + streamQuery, auditURL: baseURL + "/debug/mp/collect?" + streamQuery,
            apiSecret: apiSecret)
    }
}

/// GA4's validation server for sampled copies (`docs/destinations/ga4.md`):
/// `POST /debug/mp/collect` with the same query and body answers 200
/// `{"validationMessages": [{"fieldPath": "events[0].params.currency",
/// "description": "…", "validationCode": "VALUE_INVALID"}]}`, an empty list
/// when the request is valid. Nothing sent there is recorded in the property.
struct GA4ValidationSampler: ValidationSampler {
    let sampleRate: Double
    let url: String
    let auditURL: String
    let apiSecret: SecretText

    func validationRequest(for request: OutboundRequest) -> OutboundRequest {
        var copy = request
        copy.url = url + "&api_secret=" + QueryText.encode(apiSecret.value)
        copy.auditURL = auditURL
        return copy
    }

    func validationMessages(in reply: HTTPReply) -> [DeliveryDiagnostic]? {
        guard (200..<300).contains(reply.status), let json = try? JSONParser.parse(reply.body),
            let messages = json["validationMessages"]?.arrayValue
        else { return nil }
        let secrets = [apiSecret.value, QueryText.encode(apiSecret.value)]
        return messages.map { message in
            let code = message["validationCode"]?.nonBlankString ?? "UNKNOWN"
            let text = [message["fieldPath"]?.nonBlankString, message["description"]?.nonBlankString].compactMap { $0 }.joined(separator: ": ")
            let detail = ResponseSummary.make(body: GA4Destination.redacting(secrets, in: Array(text.utf8)), limit: DeliveryDiagnostic.detailLimit)
            return DeliveryDiagnostic(kind: .validationMessage, code: code, detail: detail)
        }
    }
}
