import BridgeCore
import Foundation
import Testing

@Suite("Torn audit tails")
struct AuditTornTailTests {
    /// One day file of three entries, as text with its newlines.
    func file() -> (name: String, text: String) {
        let chain = AuditFixtures.chain(days: 1, perDay: 3)
        return (chain.files[0].name, chain.files[0].lines.joined(separator: "\n") + "\n")
    }

    @Test("a whole file has nothing torn")
    func wholeFile() {
        let bytes = Array(file().text.utf8)
        #expect(AuditTornTail.intactLength(of: bytes[...], isWholeFile: true) == bytes.count)
    }

    @Test("an unterminated half line after the last entry is torn")
    func halfLine() {
        let whole = Array(file().text.utf8)
        let torn = whole + Array(#"{"v":1,"seq":4,"batch_id":"b"#.utf8)
        #expect(AuditTornTail.intactLength(of: torn[...], isWholeFile: true) == whole.count)
    }

    @Test("a garbage line terminated by a later append is torn with everything after it")
    func garbageThenNewline() {
        let whole = Array(file().text.utf8)
        let torn = whole + Array("{\"v\":1,\"se\n\u{0}\u{0}\u{0}\n".utf8)
        #expect(AuditTornTail.intactLength(of: torn[...], isWholeFile: true) == whole.count)
    }

    @Test("an edited entry that still reads as an entry is kept, so the verifier sees the edit")
    func editedEntryIsKept() {
        let text = file().text.replacingOccurrences(of: "\"response_status\":200", with: "\"response_status\":201")
        let bytes = Array(text.utf8)
        #expect(AuditTornTail.intactLength(of: bytes[...], isWholeFile: true) == bytes.count)
    }

    @Test("a window that starts inside a line asks for more when it holds no entry")
    func windowTooSmall() {
        let bytes = Array(file().text.utf8)
        let window = bytes[(bytes.count - 40)...]
        #expect(AuditTornTail.intactLength(of: window, isWholeFile: false) == nil)
    }

    @Test("a last entry that only lost its newline is whole")
    func lostNewline() {
        var bytes = Array(file().text.utf8)
        bytes.removeLast()
        #expect(AuditTornTail.intactLength(of: bytes[...], isWholeFile: true) == bytes.count)
    }

    @Test("a cut-off line in an older file is still a break")
    func olderFileCutOff() {
        let chain = AuditFixtures.chain(days: 2, perDay: 2)
        var first = chain.files[0].lines.joined(separator: "\n") + "\n"
        first.removeLast(10)
        let second = chain.files[1].lines.joined(separator: "\n") + "\n"
        let report = AuditVerifier().verify(contents: [(chain.files[0].name, first), (chain.files[1].name, second)])
        #expect(report.firstBreak?.reason == .truncatedLine)
    }
}
