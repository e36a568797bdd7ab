import BridgeCore
import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore

extension Router {
    /// `POST /v1/erasure` (admin token): `{"email", "phone", "external_id", "country"}`.
    func addErasureRoute(admin: AdminRoutes, erasure: ErasureService) {
        post("/v1/erasure") { request, _ -> Response in
            try admin.authorize(request)
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            let json: JSONValue
            do { json = try JSONParser.parse(Array(buffer.readableBytesView)) } catch {
                throw ProblemDetails(status: .badRequest, slug: "malformed-json", title: "Malformed JSON", detail: "\(error)")
            }
            let subject = ErasureService.Subject(
                email: json["email"]?.stringValue, phone: json["phone"]?.stringValue, externalID: json["external_id"]?.scalarText,
                country: json["country"]?.stringValue)
            do throws(ErasureService.Failure) {
                let report = try await erasure.erase(subject)
                return admin.jsonResponse(
                    .object([
                        "erased_events": .number(String(report.result.eventIDs.count)),
                        "event_ids": .array(report.result.eventIDs.map(JSONValue.string)),
                        "unsent_deliveries": .number(String(report.result.unsentDeliveries)),
                        "sent_deliveries": .number(String(report.result.sentDeliveries)),
                        "identity_graph_entries": .number(String(report.identityGraphEntries)),
                    ]))
            } catch {
                switch error {
                case .store(let storeError): throw ProblemDetails.storeUnavailable(storeError)
                default: throw ProblemDetails(status: .badRequest, slug: "invalid-erasure", title: "Invalid erasure request", detail: error.description)
                }
            }
        }
    }
}
