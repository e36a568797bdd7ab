import AsyncHTTPClient

/// Runs `body` with a new HTTP client and shuts the client down whether
/// `body` returns or throws (an `HTTPClient` dropped without `shutdown()`
/// stops the test process).
func withHTTPClient<Result>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let outcome: Swift.Result<Result, any Error>
    do { outcome = .success(try await body(client)) } catch { outcome = .failure(error) }
    try? await client.shutdown()
    return try outcome.get()
}
