import AsyncHTTPClient
import BridgeCore
import Logging
import NIOCore
import NIOHTTP1

/// Posts alerts to a Slack-compatible incoming webhook. Failures are logged,
/// never retried in a loop: the next condition change posts again.
public struct AlertNotifier: Sendable {
    let url: String
    let client: HTTPClient
    let logger: Logger

    public init(url: String, client: HTTPClient, logger: Logger) {
        self.url = url
        self.client = client
        self.logger = logger
    }

    public func post(_ action: AlertAction) async {
        await post(json: SlackAlertMessage(action).json)
    }

    /// Posts a one-off notice for the operator (a privacy request to answer).
    public func post(_ notice: OperatorNotice) async {
        await post(json: notice.slackJSON)
    }

    private func post(json: JSONValue) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.bytes(json)))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 64 * 1024)
            if response.status.code >= 300 {
                logger.warning("alert webhook refused the alert", metadata: ["http.response.status_code": "\(response.status.code)"])
            }
        } catch {
            logger.warning("alert webhook unreachable", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
