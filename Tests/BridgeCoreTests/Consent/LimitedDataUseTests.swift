import BridgeCore
import Testing

@Suite("Limited data use rendering per platform")
struct LimitedDataUseTests {
    static let californiaOptOut = LimitedDataUse(restrictedProcessing: true, country: "US", state: "CA")
    static let texasOptOut = LimitedDataUse(restrictedProcessing: true, country: "US", state: "TX")
    static let unknownRegionOptOut = LimitedDataUse(restrictedProcessing: true)

    @Test("Meta: LDU with country 1 and state 1000 for California, 0 to geolocate otherwise")
    func meta() {
        #expect(
            Self.californiaOptOut.fields(for: .meta)
                == .dataProcessingOptions(options: ["LDU"], country: 1, state: 1000, optOut: false))
        #expect(
            Self.texasOptOut.fields(for: .meta)
                == .dataProcessingOptions(options: ["LDU"], country: 1, state: 0, optOut: false))
        #expect(
            Self.unknownRegionOptOut.fields(for: .meta)
                == .dataProcessingOptions(options: ["LDU"], country: 0, state: 0, optOut: false))
        #expect(
            LimitedDataUse.none.fields(for: .meta)
                == .dataProcessingOptions(options: [], country: nil, state: nil, optOut: false))
    }

    @Test("Snap follows Meta's shape")
    func snap() {
        #expect(Self.californiaOptOut.fields(for: .snapchat) == Self.californiaOptOut.fields(for: .meta))
    }

    @Test("TikTok: limited_data_use")
    func tiktok() {
        #expect(Self.texasOptOut.fields(for: .tiktok) == .limitedDataUseFlag(true))
        #expect(LimitedDataUse.none.fields(for: .tiktok) == .limitedDataUseFlag(false))
    }

    @Test("Google and GA4: consent values, personalization denied under any restriction")
    func google() {
        let granted = LimitedDataUse(adUserData: .granted, adPersonalization: .granted)
        #expect(granted.fields(for: .google) == .consent(adUserData: .granted, adPersonalization: .granted))
        var restricted = granted
        restricted.restrictedProcessing = true
        #expect(restricted.fields(for: .ga4) == .consent(adUserData: .granted, adPersonalization: .denied))
        #expect(LimitedDataUse.none.fields(for: .google) == .consent(adUserData: nil, adPersonalization: nil))
    }

    @Test("Reddit: LDU mode with country and ISO 3166-2 region")
    func reddit() {
        #expect(
            Self.californiaOptOut.fields(for: .reddit)
                == .redditDataProcessing(modes: ["LDU"], country: "US", region: "US-CA"))
        #expect(LimitedDataUse.none.fields(for: .reddit) == .redditDataProcessing(modes: [], country: nil, region: nil))
    }

    @Test("Pinterest: LDP opt-out type, opt_out for measurement only")
    func pinterest() {
        #expect(Self.californiaOptOut.fields(for: .pinterest) == .pinterestOptOut(optOut: false, optOutType: "LDP"))
        #expect(
            LimitedDataUse(attributionOnly: true).fields(for: .pinterest)
                == .pinterestOptOut(optOut: true, optOutType: nil))
    }

    @Test("LinkedIn: nothing to render")
    func linkedin() {
        #expect(Self.californiaOptOut.fields(for: .linkedin) == PlatformPrivacyFields.none)
    }
}
