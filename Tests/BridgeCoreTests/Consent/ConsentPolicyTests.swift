import BridgeCore
import Foundation
import Testing

/// The policy is decoded by Yams in the server; JSON exercises the same
/// `Decodable` conformance without a YAML dependency in the core tests.
@Suite("Consent policy configuration")
struct ConsentPolicyTests {
    private func decode(_ json: String, platform: Platform? = nil) throws -> ConsentPolicy {
        let decoder = JSONDecoder()
        if let platform { decoder.userInfo[ConsentPolicy.platformUserInfoKey] = platform }
        return try decoder.decode(ConsentPolicy.self, from: Data(json.utf8))
    }

    @Test("an empty block takes the platform's defaults")
    func emptyBlockTakesDefaults() throws {
        #expect(try decode("{}", platform: .google) == .default(for: .google))
        #expect(try decode("{}", platform: .linkedin) == .default(for: .linkedin))
        #expect(try decode("{}") == .generic)
        #expect(try decode("null", platform: .meta) == .default(for: .meta))
    }

    @Test("documented defaults: EEA + UK + CH, suppress when unknown, limited US opt-outs, GPC honoured")
    func documentedDefaults() {
        let google = ConsentPolicy.default(for: .google)
        #expect(google.tcfVendorID == 755)
        #expect(google.requiredTCFPurposes == [1, 7])
        #expect(google.explicitConsentRegions.count == 32)
        #expect(google.explicitConsentRegions.isSuperset(of: ["DE", "FR", "IS", "LI", "NO", "GB", "CH"]))
        #expect(!google.explicitConsentRegions.contains("US"))
        #expect(google.whenUnknown == .suppress)
        #expect(google.usOptOut == .limited)
        #expect(google.honorGPC)
        #expect(!google.marketingConsentAsAdConsent)
        #expect(ConsentPolicy.default(for: .meta).tcfVendorID == nil)
        #expect(ConsentPolicy.default(for: .tiktok).requiredTCFPurposes == [1, 3, 4, 7])
        #expect(ConsentPolicy.default(for: .tiktok).personalizationDenied == .suppress)
        #expect(ConsentPolicy.default(for: .linkedin).usOptOut == .suppress)
    }

    @Test("every key overrides its default")
    func overrides() throws {
        let policy = try decode(
            """
            {"required_tcf_purposes": [7, 1, 1], "personalization_tcf_purposes": [3],
             "legitimate_interest_purposes": [7], "tcf_vendor_id": 1234,
             "explicit_consent_regions": ["EU", "uk", "Switzerland"], "default_region": "de",
             "unknown_region_requires_consent": false, "when_unknown": "send_limited",
             "us_opt_out": "suppress", "us_opt_out_regions": ["US", "CA"], "honor_gpc": false,
             "personalization_denied": "suppress", "marketing_consent_as_ad_consent": true}
            """, platform: .meta)
        #expect(policy.requiredTCFPurposes == [1, 7])
        #expect(policy.personalizationTCFPurposes == [3])
        #expect(policy.legitimateInterestPurposes == [7])
        #expect(policy.tcfVendorID == 1234)
        #expect(policy.explicitConsentRegions.count == 29)
        #expect(policy.explicitConsentRegions.contains("GB") && policy.explicitConsentRegions.contains("CH"))
        #expect(!policy.explicitConsentRegions.contains("NO"))
        #expect(policy.defaultRegion == "DE")
        #expect(!policy.unknownRegionRequiresConsent)
        #expect(policy.whenUnknown == .sendLimited)
        #expect(policy.usOptOut == .suppress)
        #expect(policy.usOptOutRegions == ["US", "CA"])
        #expect(!policy.honorGPC)
        #expect(policy.personalizationDenied == .suppress)
        #expect(policy.marketingConsentAsAdConsent)
    }

    @Test("tcf_vendor_id: null turns the vendor check off")
    func nullVendorID() throws {
        #expect(try decode(#"{"tcf_vendor_id": null}"#, platform: .google).tcfVendorID == nil)
    }

    @Test(
        "rejects unknown keys, bad purposes, vendor ids, regions and enum values",
        arguments: [
            #"{"honour_gpc": true}"#,
            #"{"required_tcf_purposes": [0]}"#,
            #"{"required_tcf_purposes": [25]}"#,
            #"{"tcf_vendor_id": 70000}"#,
            #"{"explicit_consent_regions": ["Europe"]}"#,
            #"{"default_region": "Mars"}"#,
            #"{"when_unknown": "maybe"}"#,
            #"{"us_opt_out": "ignore"}"#,
            #"{"honor_gpc": "yes"}"#,
        ]
    )
    func rejectsInvalid(json: String) {
        #expect(throws: DecodingError.self) { try decode(json, platform: .meta) }
    }

    @Test("the unknown-key error names the key and the valid ones")
    func unknownKeyMessage() {
        do {
            _ = try decode(#"{"honour_gpc": true}"#)
            Issue.record("expected an error")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("honour_gpc"))
            #expect(context.debugDescription.contains("honor_gpc"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
