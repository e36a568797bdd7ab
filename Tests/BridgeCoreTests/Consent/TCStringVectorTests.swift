import BridgeCore
import Foundation
import Testing

/// `fixtures/consent/tcf-vectors.json`, written by `scripts/gen-tcf-vectors.py`
/// from the `iab-tcf` Python package.
struct TCFVectorFile: Decodable {
    struct Section: Decodable, Sendable {
        let maxVendorId: Int
        let isRangeEncoding: Bool
        let ids: [Int]
    }

    struct Restriction: Decodable, Sendable {
        let purposeId: Int
        let restrictionType: Int
        let vendorIds: [Int]
    }

    struct PublisherTC: Decodable, Sendable {
        let purposeConsents: [Int]
        let purposeLegitimateInterests: [Int]
        let numCustomPurposes: Int
        let customPurposeConsents: [Int]
        let customPurposeLegitimateInterests: [Int]
    }

    struct Expected: Decodable, Sendable {
        let version: Int
        let createdSeconds: Int64
        let lastUpdatedSeconds: Int64
        let cmpId: Int
        let cmpVersion: Int
        let consentScreen: Int
        let consentLanguage: String
        let vendorListVersion: Int
        let policyVersion: Int
        let isServiceSpecific: Bool
        let useNonStandardTexts: Bool
        let specialFeatureOptIns: [Int]
        let purposeConsents: [Int]
        let purposeLegitimateInterests: [Int]
        let purposeOneTreatment: Bool
        let publisherCountryCode: String
        let vendorConsents: Section
        let vendorLegitimateInterests: Section
        let publisherRestrictions: [Restriction]
        let disclosedVendors: [Int]?
        let allowedVendors: [Int]?
        let publisherTC: PublisherTC?
    }

    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let source: String
        let tcString: String
        let expected: Expected
        var testDescription: String { name }
    }

    struct Malformed: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let tcString: String
        let error: String
        var testDescription: String { name }
    }

    let library: String
    let vectors: [Vector]
    let malformed: [Malformed]

    static let loaded: TCFVectorFile? = ConsentFixtures.data("consent/tcf-vectors.json")
        .flatMap { try? JSONDecoder().decode(TCFVectorFile.self, from: $0) }
}

@Suite("TC string vectors from iab-tcf")
struct TCStringVectorTests {
    @Test("the vector file loads, with published, range-encoded and restricted strings")
    func vectorFileLoads() throws {
        let file = try #require(TCFVectorFile.loaded)
        #expect(file.library.hasPrefix("iab-tcf "))
        #expect(file.vectors.count >= 15)
        #expect(file.vectors.contains { $0.source == "iab-tcf-spec" })
        #expect(file.vectors.contains { $0.expected.vendorConsents.isRangeEncoding })
        #expect(file.vectors.contains { $0.expected.vendorLegitimateInterests.isRangeEncoding })
        #expect(file.vectors.contains { !$0.expected.publisherRestrictions.isEmpty })
        #expect(file.vectors.contains { $0.expected.publisherTC != nil })
        #expect(file.malformed.count >= 10)
    }

    @Test("every vector decodes to the library's fields", arguments: TCFVectorFile.loaded?.vectors ?? [])
    func decodesLikeTheLibrary(vector: TCFVectorFile.Vector) throws {
        let tc = try TCString(decoding: vector.tcString)
        let e = vector.expected
        #expect(tc.version == e.version)
        #expect(tc.created.secondsSinceEpoch == e.createdSeconds)
        #expect(tc.lastUpdated.secondsSinceEpoch == e.lastUpdatedSeconds)
        #expect(tc.cmpID == e.cmpId)
        #expect(tc.cmpVersion == e.cmpVersion)
        #expect(tc.consentScreen == e.consentScreen)
        #expect(tc.consentLanguage == e.consentLanguage)
        #expect(tc.vendorListVersion == e.vendorListVersion)
        #expect(tc.policyVersion == e.policyVersion)
        #expect(tc.isServiceSpecific == e.isServiceSpecific)
        #expect(tc.useNonStandardTexts == e.useNonStandardTexts)
        #expect(tc.specialFeatureOptIns == Set(e.specialFeatureOptIns))
        #expect(tc.purposeConsents == Set(e.purposeConsents))
        #expect(tc.purposeLegitimateInterests == Set(e.purposeLegitimateInterests))
        #expect(tc.purposeOneTreatment == e.purposeOneTreatment)
        #expect(tc.publisherCountryCode == e.publisherCountryCode)
        expect(tc.vendorConsents, equals: e.vendorConsents)
        expect(tc.vendorLegitimateInterests, equals: e.vendorLegitimateInterests)
        #expect(tc.publisherRestrictions.count == e.publisherRestrictions.count)
        for (restriction, expected) in zip(tc.publisherRestrictions, e.publisherRestrictions) {
            #expect(restriction.purposeID == expected.purposeId)
            #expect(restriction.restrictionType.rawValue == expected.restrictionType)
            #expect(
                TCVendorSection(maxVendorID: 0, isRangeEncoding: true, ranges: restriction.vendorRanges).vendorIDs
                    == expected.vendorIds)
        }
        #expect(tc.disclosedVendors?.vendorIDs == e.disclosedVendors)
        #expect(tc.allowedVendors?.vendorIDs == e.allowedVendors)
        if let expected = e.publisherTC {
            let publisher = try #require(tc.publisherTC)
            #expect(publisher.purposeConsents == Set(expected.purposeConsents))
            #expect(publisher.purposeLegitimateInterests == Set(expected.purposeLegitimateInterests))
            #expect(publisher.numberOfCustomPurposes == expected.numCustomPurposes)
            #expect(publisher.customPurposeConsents == Set(expected.customPurposeConsents))
            #expect(publisher.customPurposeLegitimateInterests == Set(expected.customPurposeLegitimateInterests))
        } else {
            #expect(tc.publisherTC == nil)
        }
    }

    @Test("every malformed string fails with the expected error", arguments: TCFVectorFile.loaded?.malformed ?? [])
    func malformedStringsFail(vector: TCFVectorFile.Malformed) {
        #expect {
            _ = try TCString(decoding: vector.tcString)
        } throws: { error in
            guard let error = error as? TCStringError else { return false }
            return vector.error == "malformed" || Self.kind(of: error) == vector.error
        }
    }

    private func expect(
        _ section: TCVendorSection, equals expected: TCFVectorFile.Section,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(section.maxVendorID == expected.maxVendorId, sourceLocation: sourceLocation)
        #expect(section.isRangeEncoding == expected.isRangeEncoding, sourceLocation: sourceLocation)
        #expect(section.vendorIDs == expected.ids, sourceLocation: sourceLocation)
    }

    static func kind(of error: TCStringError) -> String {
        switch error {
        case .empty: return "empty"
        case .tooLong: return "tooLong"
        case .invalidCharacter: return "invalidCharacter"
        case .emptySegment: return "emptySegment"
        case .truncated: return "truncated"
        case .unsupportedVersion: return "unsupportedVersion"
        case .rangeEndBeforeStart: return "rangeEndBeforeStart"
        case .invalidLetter: return "invalidLetter"
        case .unexpectedSegmentType: return "unexpectedSegmentType"
        }
    }
}
