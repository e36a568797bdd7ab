import BridgeCore
import Foundation

/// The OAuth 2.0 credentials both Google kinds (`google`, `google_ads`) read:
/// either a user's refresh token with its OAuth client, or a service-account
/// key. Exactly one of the two must be configured.
///
/// | key | meaning |
/// |---|---|
/// | `refresh_token` | refresh token of a user who granted the API's scope (with `client_id` and `client_secret`) |
/// | `client_id` | the OAuth client the refresh token was issued to |
/// | `client_secret` | its secret, from the environment |
/// | `service_account_json` | the contents of a service-account key file (`client_email`, `private_key`, `token_uri`); in the configuration file also its path, which the configuration loader reads (`fileKeys`) |
/// | `token_url` | token endpoint; default `https://oauth2.googleapis.com/token` (refresh token) or the key file's `token_uri` |
enum GoogleCredentials {
    /// The keys read here.
    static let keys = ["refresh_token", "client_id", "client_secret", "service_account_json", "token_url"]
    /// The keys whose configured value may be the path of a file: the
    /// configuration loader hands over the file's text instead.
    static let fileKeys = ["service_account_json"]
    /// Google's OAuth 2.0 token endpoint.
    static let defaultTokenURL = "https://oauth2.googleapis.com/token"

    /// The token issuer the settings describe.
    /// - Throws: `DestinationConfigError` when neither or both kinds of
    ///   credential are configured, one is incomplete, or the key file
    ///   cannot be used. Messages never quote a value.
    static func read(_ reader: inout SettingsReader, destination: String, scope: String) throws(DestinationConfigError)
        -> any AccessTokenIssuer
    {
        let refreshToken = try reader.string("refresh_token")
        let clientID = try reader.string("client_id")
        let clientSecret = try reader.string("client_secret")
        let serviceAccount = try reader.string("service_account_json")
        let tokenURL = try reader.endpointURL("token_url")
        if let serviceAccount {
            guard refreshToken == nil, clientID == nil, clientSecret == nil else {
                throw reader.invalid(
                    "service_account_json", "configure either service_account_json or refresh_token with client_id and client_secret, not both")
            }
            // A path was replaced by the file's text by the configuration loader (`fileKeys`).
            guard serviceAccount.hasPrefix("{") else {
                throw reader.invalid("service_account_json", "must be the key file's JSON text (the configuration loader reads a path)")
            }
            do {
                return try GoogleServiceAccountIssuer(
                    keyJSON: serviceAccount, scope: scope, tokenURI: tokenURL, allowInsecure: try reader.boolean("allow_insecure", default: false))
            } catch {
                throw reader.invalid("service_account_json", "the service-account key \(error)")
            }
        }
        guard let refreshToken else {
            throw DestinationConfigError(
                code: .missingKey, destination: destination, keyPath: "refresh_token",
                message: "required: refresh_token (with client_id and client_secret), or service_account_json, e.g. ${GOOGLE_REFRESH_TOKEN}")
        }
        guard let clientID else {
            throw DestinationConfigError(
                code: .missingKey, destination: destination, keyPath: "client_id", message: "required with refresh_token: the OAuth client id")
        }
        guard let clientSecret else {
            throw DestinationConfigError(
                code: .missingKey, destination: destination, keyPath: "client_secret",
                message: "required with refresh_token: the OAuth client secret, e.g. ${GOOGLE_CLIENT_SECRET}")
        }
        return RefreshTokenIssuer(
            tokenURL: tokenURL ?? defaultTokenURL, clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken,
            issuerName: "Google")
    }

    /// `CONSENT_GRANTED` / `CONSENT_DENIED` (Data Manager) or `GRANTED` / `DENIED` (Google Ads).
    static func consentValue(_ state: ConsentSignals.GrantState, prefixed: Bool) -> String {
        let word = state == .granted ? "GRANTED" : "DENIED"
        return prefixed ? "CONSENT_" + word : word
    }

    /// True for a non-empty string of ASCII digits.
    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// A Google Ads customer or account id as configured (`123-456-7890`
    /// or `1234567890`) as Google wants it: ten digits, no dashes.
    static func customerID(_ text: String) -> String? {
        let digits = text.replacingOccurrences(of: "-", with: "")
        return digits.utf8.count == 10 && isDigits(digits) ? digits : nil
    }
}
