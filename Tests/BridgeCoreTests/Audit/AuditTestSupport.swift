import BridgeCore
import Crypto

/// Builds audit chains for the tests: `days` day files of `perDay` entries,
/// each entry a small digested Meta request.
enum AuditFixtures {
    static let key = SymmetricKey(data: Array("audit-test-key-0123456789abcdef!".utf8))
    static let digester = ClearFieldDigester(key: key, keys: ["client_ip_address", "client_user_agent", "fbc", "fbp"])
    /// 2026-03-14T09:30:00Z
    static let start = Timestamp(millisecondsSinceEpoch: 1_773_480_600_000)

    static func request(eventID: String) -> JSONValue {
        .object([
            "data": .array([
                .object([
                    "event_name": .string("Purchase"),
                    "event_time": .number("1773480600"),
                    "event_id": .string(eventID),
                    "action_source": .string("website"),
                    "user_data": .object([
                        "em": .array([.string("62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")]),
                        "client_ip_address": .string("2001:db8::1"),
                        "client_user_agent": .string("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0"),
                        "fbc": .string("fb.1.1554763741205.AbCdEfGhIj"),
                    ]),
                    "custom_data": .object(["currency": .string("EUR"), "value": .number("129.99"), "order_id": .string("10045678")]),
                ])
            ])
        ])
    }

    static func entry(_ index: Int, at time: Timestamp) -> AuditEntry {
        AuditEntry(
            sequence: 0, sentAt: time, completedAt: time.plus(seconds: 0.412), destination: "meta", batchID: "batch-\(index)",
            eventIDs: ["order-\(820_982_911_946_154_508 + index)"],
            request: digester.digestingClearFields(of: request(eventID: "order-\(820_982_911_946_154_508 + index)")),
            responseStatus: 200, responseSummary: "{\"events_received\":1,\"fbtrace_id\":\"AbC123xYz\"}")
    }

    /// Day files, oldest first, and the final head.
    static func chain(days: Int, perDay: Int) -> (files: [(name: String, lines: [String])], head: AuditChainHead) {
        var head = AuditChainHead.genesis
        var files: [(name: String, lines: [String])] = []
        var index = 0
        for day in 0..<days {
            for slot in 0..<perDay {
                let time = start.plus(seconds: Double(day * 86_400 + slot * 3600))
                let appended = AuditChain.append(entry(index, at: time), after: head)
                head = appended.head
                if files.last?.name == appended.fileName {
                    files[files.count - 1].lines.append(appended.line)
                } else {
                    files.append((appended.fileName, [appended.line]))
                }
                index += 1
            }
        }
        return (files, head)
    }
}
