import BridgeCore
import BridgeSources
import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore

/// Admin routes (bearer `server.admin_token`, any of them while rotating): dead letters.
struct AdminRoutes: Sendable {
    let store: any StoreBackend
    let tokens: BearerTokens
    let now: @Sendable () -> Timestamp

    func authorize(_ request: Request) throws {
        guard !tokens.isEmpty else {
            throw ProblemDetails(status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: "no admin token is configured", headers: [.wwwAuthenticate: "Bearer"])
        }
        guard tokens.accepts(authorization: request.headers[.authorization]) else {
            throw ProblemDetails(status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: "a valid admin bearer token is required", headers: [.wwwAuthenticate: "Bearer"])
        }
    }

    /// `GET /v1/dead-letters?destination=&code=&limit=`
    func list(_ request: Request) async throws -> Response {
        try authorize(request)
        let query = request.uri.queryParameters
        let limit = query.get("limit").flatMap(Int.init).map { min(max($0, 1), 1000) } ?? 100
        let filter = DeadLetterFilter(destination: query.get("destination"), code: query.get("code"))
        let letters: [DeadLetter]
        do { letters = try await store.deadLetters(filter, limit: limit) } catch { throw ProblemDetails.storeUnavailable(error) }
        let items = letters.map(DeadLetterJSON.object)
        var requests: [RejectedRequest] = []
        if RejectedRequestJSON.listed(forCode: filter.code) {
            do { requests = try await store.rejectedRequests(destination: filter.destination, limit: limit) } catch { throw ProblemDetails.storeUnavailable(error) }
        }
        return jsonResponse(
            .object([
                "dead_letters": .array(items), "count": .number(String(items.count)),
                "rejected_requests": .array(requests.map(RejectedRequestJSON.object)),
            ]))
    }

    /// `POST /v1/dead-letters/replay` with `{"ids": [...]}`, `{"destination": "meta"}` or `{"all": true}`.
    func replay(_ request: Request) async throws -> Response {
        try authorize(request)
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let json: JSONValue
        do { json = try JSONParser.parse(Array(buffer.readableBytesView)) } catch {
            throw ProblemDetails(status: .badRequest, slug: "malformed-json", title: "Malformed JSON", detail: error.description)
        }
        var filter = DeadLetterFilter(destination: json["destination"]?.stringValue, code: json["code"]?.stringValue)
        if let ids = json["ids"]?.arrayValue {
            let parsed = ids.compactMap { $0.numberText.flatMap { Int64($0) } }
            guard parsed.count == ids.count else {
                throw ProblemDetails(status: .badRequest, slug: "invalid-payload", title: "Invalid payload", detail: "ids must be integers", pointer: "/ids")
            }
            filter.ids = parsed
        }
        if let requests = json["requests"]?.arrayValue {
            let parsed = requests.compactMap { $0.numberText.flatMap { Int64($0) } }
            guard parsed.count == requests.count else {
                throw ProblemDetails(
                    status: .badRequest, slug: "invalid-payload", title: "Invalid payload", detail: "requests must be integers", pointer: "/requests")
            }
            let replayed: Int
            do { replayed = try await store.replayRejectedRequests(ids: parsed, destination: nil, now: now()) } catch {
                throw ProblemDetails.storeUnavailable(error)
            }
            return jsonResponse(.object(["replayed": .number(String(replayed))]))
        }
        guard filter.ids != nil || filter.destination != nil || filter.code != nil || json["all"] == .bool(true) else {
            throw ProblemDetails(
                status: .badRequest, slug: "invalid-payload", title: "Invalid payload",
                detail: "say which dead letters to replay: ids, destination, code, or all: true")
        }
        let replayed: Int
        do { replayed = try await store.replayDeadLetters(filter, now: now()) } catch { throw ProblemDetails.storeUnavailable(error) }
        return jsonResponse(.object(["replayed": .number(String(replayed))]))
    }

    func jsonResponse(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value))))
    }
}

/// The JSON form of a dead letter (no personal data: hashed payload only).
public enum DeadLetterJSON {
    public static func object(_ letter: DeadLetter) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .number(String(letter.id)), "destination": .string(letter.destination), "source": .string(letter.source),
            "event_id": .string(letter.eventID), "event_name": .string(letter.eventName), "event_time": .string(letter.eventTime.rfc3339),
            "received_at": .string(letter.receivedAt.rfc3339), "attempts": .number(String(letter.attempts)), "code": .string(letter.code),
            "message": .string(letter.message), "dead_at": .string(letter.deadAt.rfc3339), "consent": .string(letter.consent),
        ]
        if let status = letter.lastStatus { object["last_status"] = .number(String(status)) }
        return .object(object)
    }

    /// What a dead letter's stored payload holds, without personal data: for
    /// a typed record, the consent decision and each identifier as digest,
    /// "clear" (the value is sealed with the event) or why it was dropped;
    /// for a delivery prepared by an earlier version, its hashed item as
    /// stored; `nil` when there is none or it cannot be read.
    public static func payload(_ bytes: [UInt8]?) -> JSONValue? {
        guard let bytes, !bytes.isEmpty else { return nil }
        guard PreparedDeliveryRecord.isRecord(bytes) else { return try? JSONParser.parse(bytes) }
        guard let record = try? PreparedDeliveryRecord(bytes: bytes) else { return nil }
        var identifiers: [String: JSONValue] = [:]
        for (field, prepared) in record.customer {
            switch prepared {
            case .sent(let value) where value.isHashed: identifiers[field.rawValue] = .string("sha256:" + value.wireValue)
            case .sent: identifiers[field.rawValue] = .string("clear (sealed with the event until sent)")
            case .dropped(let reason): identifiers[field.rawValue] = .string("dropped: " + reason.rawValue)
            }
        }
        return .object(["consent": .string(record.consent.description), "identifiers": .object(identifiers)])
    }
}

extension ProblemDetails {
    static func storeUnavailable(_ error: StoreError) -> ProblemDetails {
        ProblemDetails(
            status: .serviceUnavailable, slug: "store-unavailable", title: "Store unavailable", detail: "the store is unavailable (\(error.code.rawValue))",
            headers: [.retryAfter: "5"])
    }
}

extension Router {
    func addAdminRoutes(_ admin: AdminRoutes) {
        get("/v1/dead-letters") { request, _ in try await admin.list(request) }
        post("/v1/dead-letters/replay") { request, _ in try await admin.replay(request) }
    }
}
