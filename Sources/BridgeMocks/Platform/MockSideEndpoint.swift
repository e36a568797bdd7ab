import BridgeCore
import Synchronization

/// A read endpoint a mock platform serves beside its event API (Data
/// Manager `requestStatus:retrieve`, Meta `dataset_quality`, Pinterest
/// `conversion_eqs`), answering in the documented shapes. Its exchanges are
/// recorded with the server's.
public protocol MockSideEndpoint: Sendable {
    func handles(_ request: MockHTTPRequest) -> Bool
    func answer(_ request: MockHTTPRequest, context: MockCheckContext) -> MockHTTPResponse
}

/// What a side endpoint answers: a default, and one-shot answers taken in
/// order first (tests script them while the mock runs).
public final class MockAnswerScript<Answer: Sendable>: Sendable {
    private let state: Mutex<(queue: [Answer], fallback: Answer)>

    public init(_ fallback: Answer) { state = Mutex(([], fallback)) }

    /// Answers given once each, in order, before the default.
    public func enqueue(_ answers: Answer...) { state.withLock { $0.queue += answers } }

    /// Replaces the default.
    public func setDefault(_ answer: Answer) { state.withLock { $0.fallback = answer } }

    /// The next answer.
    public func next() -> Answer {
        state.withLock { $0.queue.isEmpty ? $0.fallback : $0.queue.removeFirst() }
    }
}
