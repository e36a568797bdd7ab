import BridgeCore
import Testing

@Suite("W3C traceparent")
struct TraceParentTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("a valid version-00 header parses into its trace id, parent id and flags, and prints back the same")
    func parsesValid() throws {
        let trace = try #require(TraceParent(header: Self.valid))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID == "00f067aa0ba902b7")
        #expect(trace.flags == 0x01)
        #expect(trace.header == Self.valid)
        #expect(TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.flags == 0)
        #expect(TraceParent(header: "  \(Self.valid) ")?.header == Self.valid)
    }

    @Test("a later version is read by its first four fields, and sent back as version 00")
    func laterVersion() {
        #expect(TraceParent(header: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09")?.header
            == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09")
        #expect(TraceParent(header: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds")?.traceID
            == "4bf92f3577b34da6a3ce929d0e0e4736")
        // A later version's extra part must start with a dash.
        #expect(TraceParent(header: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x") == nil)
    }

    @Test("every form the specification calls invalid is refused", arguments: [
        "",
        "00",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 with more
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper-case hex
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // dash misplaced
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",  // short flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",  // wrong separator
        "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",  // not hex
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u{e9}",
    ])
    func refusesInvalid(_ header: String) {
        #expect(TraceParent(header: header) == nil)
    }

    @Test("ingest continues a valid header with a new span of the same trace, and starts a new trace for an invalid or missing one")
    func continuing() throws {
        let received = try #require(TraceParent(header: Self.valid))
        let continued = TraceParent.continuing(Self.valid)
        #expect(continued.traceID == received.traceID)
        #expect(continued.spanID != received.spanID)
        #expect(continued.flags == received.flags)
        for header in [nil, "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"] {
            let started = TraceParent.continuing(header)
            #expect(started.traceID != received.traceID)
            #expect(TraceParent(header: started.header) == started, "a started trace is a valid header")
            #expect(started.flags == TraceParent.sampled)
        }
        #expect(TraceParent.start().traceID != TraceParent.start().traceID)
    }

    @Test("a child keeps the trace id and flags and gets a new non-zero span id")
    func child() throws {
        let parent = try #require(TraceParent(header: Self.valid))
        var zeros = ZeroThenCounting()
        let child = parent.child(using: &zeros)
        #expect(child.traceID == parent.traceID)
        #expect(child.flags == parent.flags)
        #expect(child.spanID == "0000000000000001", "a zero draw is skipped")
        #expect(TraceParent(header: child.header) == child)
    }
}

/// Draws 0 first, then 1, 2, …
struct ZeroThenCounting: RandomNumberGenerator {
    var count: UInt64 = 0
    mutating func next() -> UInt64 {
        defer { count += 1 }
        return count
    }
}
