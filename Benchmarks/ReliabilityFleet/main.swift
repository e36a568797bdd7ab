// ReliabilityFleet: the platform mock fleet of the reliability harness
// (scripts/reliability/). Serves every platform mock of BridgeMocks on
// loopback and appends one line per accepted event to an event log, so the
// harness can count what reached each platform: lost events, duplicates
// under the same id, and the same order under different ids.
//
//   ReliabilityFleet --log FILE --state FILE [--delay-ms N] [--no-validate]
//
// --state receives, once listening, a JSON object: {"control": URL,
// "base_urls": {kind: URL}, "destinations": {kind: "<flow-style YAML
// destination entry>"}}. The event log
// has `kind<TAB>event id<TAB>order id` lines (order id `-` where the
// platform's payload carries none). The control listener takes
//   POST /script/<kind>?status=503&retry_after=5&times=N   queue N bare answers
//   POST /script/<kind>?native=1&times=N                  queue N of the platform's own throttling answers
//   POST /clear/<kind>                                     drop queued answers
//   GET  /counts                                           {kind: [requests, accepted events]}
// Runs until SIGTERM or SIGINT.
import BridgeCore
import BridgeMocks
import Foundation
import Hummingbird
import Logging

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

let eventLog = try EventLog(path: option("log", "fleet-events.tsv"))
var options = MockFleet.Options(
    validate: !arguments.contains("--no-validate"), responseDelay: .milliseconds(Int(option("delay-ms", "0")) ?? 0), recordRequests: false)
options.onAccepted = { kind, request, ids in eventLog.append(kind: kind, request: request, acceptedIDs: ids) }
let fleet = try await MockFleet.start(options)
try await FleetControl(fleet: fleet, statePath: option("state", "fleet.json")).run()
await fleet.stop()
