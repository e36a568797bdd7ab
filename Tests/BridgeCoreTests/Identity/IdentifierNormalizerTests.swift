import Testing

@testable import BridgeCore

@Suite("Identifier normalization rules")
struct IdentifierNormalizerTests {
    private func normalize(_ field: CustomerField, _ raw: String, _ platform: Platform, region: String? = nil) -> NormalizationResult {
        IdentifierNormalizer.normalize(field, raw, for: platform, region: region)
    }

    @Test("SHA-256 is lowercase hex of the UTF-8 bytes")
    func sha256() {
        #expect(IdentifierHasher.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(IdentifierHasher.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("a 64-hex digest passes through lowercased and is never hashed twice")
    func preHashedPassThrough() {
        let upper = "62A14E44F765419D10FEA99367361A727C12365E2520F32218D505ED9AA0F62F"
        #expect(IdentifierHasher.sha256Hex(upper) == upper.lowercased())
        for platform in Platform.allCases {
            let prepared = IdentifierPreparer.prepare(.email, " \(upper) ", for: platform, region: nil)
            #expect(prepared.value?.wireValue == upper.lowercased(), "\(platform)")
        }
    }

    @Test("a digest where the platform wants clear text is refused")
    func digestForClearField() {
        let digest = String(repeating: "ab", count: 32)
        #expect(normalize(.firstName, digest, .linkedin) == .dropped(.hashedValueForClearField))
        #expect(normalize(.postalCode, digest, .google) == .dropped(.hashedValueForClearField))
    }

    @Test("an MD5-looking value is dropped, except as an external id")
    func md5() {
        let md5 = "5d41402abc4b2a76b9719d911017c592"
        #expect(normalize(.email, md5, .meta) == .dropped(.unsupportedDigest))
        #expect(normalize(.externalID, md5, .meta) == .value(md5))
    }

    @Test("fields a platform has no slot for are dropped as not sent")
    func notSent() {
        #expect(normalize(.phone, "+16505551234", .linkedin) == .dropped(.notSentToPlatform))
        #expect(normalize(.dateOfBirth, "1990-01-01", .google) == .dropped(.notSentToPlatform))
        #expect(normalize(.firstName, "Ann", .reddit) == .dropped(.notSentToPlatform))
        #expect(normalize(.externalID, "c1", .ga4) == .dropped(.notSentToPlatform))
    }

    @Test("drop reasons", arguments: [
        (CustomerField.email, "   ", Platform.meta, String?.none, DropReason.empty),
        (.email, "no-at-sign", .meta, nil, .invalidEmail),
        (.email, "a b@example.com", .tiktok, nil, .invalidEmail),
        (.phone, "(650) 555-1234", .meta, nil, .phoneCountryUnknown),
        (.phone, "12345", .meta, "US", .invalidPhone),
        (.phone, "+999 1234567", .google, nil, .invalidPhone),
        (.firstName, "...", .meta, nil, .invalidName),
        (.city, "--", .meta, nil, .invalidCity),
        (.state, "Calif.", .meta, "US", .invalidState),
        (.postalCode, "9402", .snapchat, "US", .invalidPostalCode),
        (.country, "Atlantis", .meta, nil, .invalidCountry),
        (.dateOfBirth, "1850-01-01", .meta, nil, .invalidDate),
        (.dateOfBirth, "03/04/1990", .meta, nil, .ambiguousDate),
        (.gender, "n", .meta, nil, .invalidGender),
    ])
    func dropReasons(field: CustomerField, raw: String, platform: Platform, region: String?, reason: DropReason) {
        #expect(normalize(field, raw, platform, region: region) == .dropped(reason))
    }

    @Test("drop reason descriptions never contain the value")
    func reasonDescriptions() {
        for reason in DropReason.allCases {
            #expect(!reason.description.isEmpty)
            #expect(!reason.description.contains("@"))
        }
        #expect(NormalizationResult.value("jane@example.com").description == "value(<redacted>)")
    }

    @Test("one normalized phone, two renderings")
    func phoneRenderings() {
        #expect(normalize(.phone, "0151 2345 6789", .meta, region: "DE") == .value("4915123456789"))
        #expect(normalize(.phone, "0151 2345 6789", .google, region: "de") == .value("+4915123456789"))
        #expect(normalize(.phone, "0151 2345 6789", .tiktok, region: "Germany") == .value("+4915123456789"))
    }

    @Test("Gmail canonicalization is Google-only; Reddit's rule covers every domain")
    func emailRules() {
        let raw = "John.Doe+tag@gmail.com"
        #expect(normalize(.email, raw, .meta) == .value("john.doe+tag@gmail.com"))
        #expect(normalize(.email, raw, .google) == .value("johndoe@gmail.com"))
        #expect(normalize(.email, raw, .ga4) == .value("johndoe@gmail.com"))
        #expect(normalize(.email, "J.Doe+x@example.com", .google) == .value("j.doe+x@example.com"))
        #expect(normalize(.email, "J.Doe+x@example.com", .reddit) == .value("jdoe@example.com"))
    }

    @Test("a zero-width space pasted into an e-mail address is removed")
    func zeroWidth() {
        #expect(normalize(.email, "\u{200B}ann@example.com\u{200B}", .meta) == .value("ann@example.com"))
        #expect(normalize(.email, "an\u{200B}n@example.com", .meta) == .value("ann@example.com"))
    }

    @Test("Greek capital sigma lowercases like Python's str.lower()")
    func finalSigma() {
        #expect(normalize(.lastName, "ΟΔΥΣΣΕΥΣ", .tiktok) == .value("οδυσσευς"))
        #expect(normalize(.lastName, "ΣΑΣ ΣΑΣ", .snapchat) == .value("σας σας"))
    }

    @Test("decomposed accents hash like precomposed ones (NFC)")
    func nfc() {
        let decomposed = "Vale\u{301}ry"
        let hashed = IdentifierPreparer.prepare(.firstName, decomposed, for: .meta, region: nil).value?.wireValue
        #expect(hashed == "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c")
    }

    @Test("LinkedIn names and Google location fields are sent in clear")
    func clearFields() {
        #expect(IdentifierPreparer.prepare(.firstName, " Jane ", for: .linkedin, region: nil) == .sent(PreparedValue(wireValue: "Jane", encoding: .clear)))
        #expect(IdentifierPreparer.prepare(.postalCode, " 94025-1234 ", for: .google, region: "US") == .sent(PreparedValue(wireValue: "94025-1234", encoding: .clear)))
        #expect(IdentifierPreparer.prepare(.country, "United States", for: .google, region: nil) == .sent(PreparedValue(wireValue: "US", encoding: .clear)))
        #expect(IdentifierPreparer.prepare(.country, "United States", for: .meta, region: nil).value?.isHashed == true)
    }

    @Test("the event's own country wins over the default region for phones")
    func regionPrecedence() {
        var customer = CustomerIdentifiers()
        customer[.phone] = "06 12 34 56 78"
        customer[.country] = "France"
        let withCountry = IdentifierPreparer.prepare(customer: customer, client: ClientContext(), for: .google, defaultRegion: "DE")
        #expect(withCountry[.phone]?.wireValue == IdentifierHasher.sha256Hex("+33612345678"))
        customer[.country] = nil
        let withDefault = IdentifierPreparer.prepare(customer: customer, client: ClientContext(), for: .google, defaultRegion: "FR")
        #expect(withDefault[.phone]?.wireValue == IdentifierHasher.sha256Hex("+33612345678"))
        let withNone = IdentifierPreparer.prepare(customer: customer, client: ClientContext(), for: .google, defaultRegion: nil)
        #expect(withNone.dropped[.phone] == .phoneCountryUnknown)
        #expect(withNone.dropCounts[.phoneCountryUnknown] == 1)
    }

    @Test("IP, user agent and click ids are never hashed, except Reddit's IP")
    func clientFields() throws {
        let client = ClientContext(
            ipAddress: " 2001:DB8::42 ", userAgent: "Mozilla/5.0",
            clickIDs: [.fbc: "fb.1.1795132000123.IwAR2aBc", .gclid: "Cj0KCQ", .rdtCID: "rdt-1", .liFatID: "li-1"])
        let meta = IdentifierPreparer.prepare(customer: CustomerIdentifiers(), client: client, for: .meta, defaultRegion: nil)
        #expect(meta[client: .ipAddress] == PreparedValue(wireValue: "2001:DB8::42", encoding: .clear))
        #expect(meta[client: .clickID(.fbc)]?.wireValue == "fb.1.1795132000123.IwAR2aBc")
        #expect(meta[client: .clickID(.gclid)] == nil)
        let reddit = IdentifierPreparer.prepare(customer: CustomerIdentifiers(), client: client, for: .reddit, defaultRegion: nil)
        #expect(reddit[client: .ipAddress] == PreparedValue(wireValue: IdentifierHasher.sha256Hex("2001:db8::42"), encoding: .sha256))
        #expect(reddit[client: .userAgent]?.isHashed == false)
        let linkedin = IdentifierPreparer.prepare(customer: CustomerIdentifiers(), client: client, for: .linkedin, defaultRegion: nil)
        #expect(linkedin.client.keys.map(\.description) == ["li_fat_id"])
        for platform in Platform.allCases {
            let prepared = IdentifierPreparer.prepare(customer: CustomerIdentifiers(), client: client, for: platform, defaultRegion: nil)
            for (field, value) in prepared.client where !(platform == .reddit && field == .ipAddress) {
                #expect(!value.isHashed, "\(platform) \(field)")
            }
        }
    }

    @Test("prepared values print redacted")
    func redaction() {
        let value = PreparedValue(wireValue: "Jane", encoding: .clear)
        #expect("\(value)" == "clear(<redacted>)")
    }
}
