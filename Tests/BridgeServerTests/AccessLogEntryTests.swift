import BridgeServer
import Logging
import Testing

@Suite("The access-log line")
struct AccessLogEntryTests {
    static let id = RequestID(honouring: "req-1")

    @Test("an accepted ingest request names its route, source, status, sizes, events and outcome")
    func acceptedIngest() {
        let entry = AccessLogEntry(
            requestID: Self.id, method: "POST", route: "/v1/webhooks/{name}", source: "backend", status: 202, durationSeconds: 0.0123456,
            bytesIn: 812, bytesOut: 120, eventIDs: ["sale:1", "sale:2"], outcome: .accepted, traceID: "4bf92f3577b34da6a3ce929d0e0e4736")
        let fields = entry.metadata
        #expect(fields["request.id"] == "req-1")
        #expect(fields["http.request.method"] == "POST")
        #expect(fields["http.route"] == "/v1/webhooks/{name}")
        #expect(fields["source.name"] == "backend")
        #expect(fields["http.response.status_code"]?.description == "202")
        #expect(fields["http.server.request.duration"] == "0.012346")
        #expect(fields["http.request.body.size"]?.description == "812")
        #expect(fields["http.response.body.size"]?.description == "120")
        #expect(fields["event.count"]?.description == "2")
        #expect(fields["event.ids"] == .array(["sale:1", "sale:2"]))
        #expect(fields["outcome"] == "accepted")
        #expect(fields["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(fields["problem.type"] == nil)
    }

    @Test("a big batch logs the count of its events, not every id")
    func bigBatch() {
        let ids = (0..<(AccessLogEntry.maxListedEventIDs + 1)).map { "sale:\($0)" }
        let fields = AccessLogEntry(
            requestID: Self.id, method: "POST", route: "/v1/events", status: 202, durationSeconds: 1, bytesIn: 1, bytesOut: 1, eventIDs: ids,
            outcome: .accepted
        ).metadata
        #expect(fields["event.count"]?.description == String(ids.count))
        #expect(fields["event.ids"] == nil)
    }

    @Test("without a recorded outcome the status decides it, and an unmatched route has no route field")
    func outcomeFromStatus() {
        #expect(AccessLogEntry.Outcome(status: 200) == .ok)
        #expect(AccessLogEntry.Outcome(status: 401) == .rejected)
        #expect(AccessLogEntry.Outcome(status: 503) == .failed)
        let fields = AccessLogEntry(
            requestID: Self.id, method: "GET", route: nil, status: 404, durationSeconds: 0.5, bytesIn: 0, bytesOut: nil, problem: "not-found"
        ).metadata
        #expect(fields["outcome"] == "rejected")
        #expect(fields["problem.type"] == "not-found")
        #expect(fields["http.route"] == nil)
        #expect(fields["http.response.body.size"] == nil)
        #expect(fields["http.server.request.duration"] == "0.500000")
        #expect(Set(fields.keys) == [
            "request.id", "http.request.method", "http.response.status_code", "http.server.request.duration", "http.request.body.size",
            "outcome", "problem.type",
        ])
    }
}

@Suite("Request ids")
struct RequestIDTests {
    @Test("a sane incoming X-Request-Id is kept")
    func keepsSane() {
        #expect(RequestID(incoming: "01HZX3-proxy_7.a:b")?.value == "01HZX3-proxy_7.a:b")
        #expect(RequestID(incoming: String(repeating: "a", count: RequestID.maxLength))?.value.count == RequestID.maxLength)
    }

    @Test("an empty, overlong or unsafe X-Request-Id is replaced by a new one")
    func replacesUnsafe() {
        for bad in ["", String(repeating: "a", count: RequestID.maxLength + 1), "buyer@example.com", "a b", "x\"}", "é", "a\nb", "id;drop"] {
            #expect(RequestID(incoming: bad) == nil, "\(bad)")
            let replaced = RequestID(honouring: bad)
            #expect(replaced.value != bad)
            #expect(replaced.value.count == 32 && replaced.value.allSatisfy(\.isHexDigit))
        }
        #expect(RequestID(honouring: nil).value.count == 32)
        #expect(RequestID.generate() != RequestID.generate())
    }
}
