import BridgeCore
import BridgeDestinations
import Testing

@Suite("Token endpoint answers")
struct OAuthTokenAnswerTests {
    static let now = Timestamp(secondsSinceEpoch: 1_773_504_000)

    static func answer(_ status: Int, _ body: String) -> AccessTokenResult {
        OAuthTokenAnswer.read(HTTPReply(status: status, body: Array(body.utf8)), now: now, issuer: "Test")
    }

    @Test(
        "expires_in is believed between one second and one day; absurd values are clamped, never trap",
        arguments: [
            ("3599", 3599), ("9223372036854775807", 86_400), ("99999999999999999999999", 86_400), ("1e300", 86_400), ("5184000", 86_400),
            ("-5", 1), ("0", 1), ("0.5", 1), ("\"3600\"", 3600), ("\"never\"", 3600), ("null", 3600),
        ])
    func lifetime(_ expiresIn: String, _ seconds: Int64) throws {
        let result = Self.answer(200, #"{"access_token":"t","token_type":"Bearer","expires_in":\#(expiresIn)}"#)
        guard case .token(let token) = result else {
            Issue.record("no token: \(result)")
            return
        }
        #expect(token.expiresAt == Self.now.advanced(by: .seconds(seconds)))
    }

    @Test("a redirect is not followed: the token is unavailable for now, with the status", arguments: [301, 302, 307, 308])
    func redirect(_ status: Int) {
        #expect(Self.answer(status, "") == .unavailable(.httpStatus(status)))
    }
}
