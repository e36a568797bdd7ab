import BridgeCore
import BridgeDestinations
import Foundation
import Testing

/// Events, identifiers and settings built from the repository's fixtures
/// (`fixtures/sources/standard-webhooks/`), located from this file's path.
enum DestinationFixtures {
    /// The repository root: the nearest directory above this file holding
    /// `Package.swift` and `fixtures/`.
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let files = FileManager.default
        while directory.path != "/" {
            if files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                files.fileExists(atPath: directory.appendingPathComponent("fixtures").path)
            {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    /// The bytes of a file under `fixtures/`.
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent("fixtures").appendingPathComponent(path)))
    }

    /// The canonical event of a Standard Webhooks fixture (`purchase.json`, `refund.json`).
    static func event(_ name: String) throws -> ConversionEvent {
        let json = try JSONParser.parse(try bytes("sources/standard-webhooks/\(name)"))
        let data = try #require(json["data"])
        return try ConversionEvent.decode(canonical: data, source: "backend", schema: CanonicalEventSchema.compiled)
    }

    /// The fixture purchase (`sale:acme-books:7K2M9Q`, EUR 129.90, three lines).
    static func purchase() throws -> ConversionEvent { try event("purchase.json") }

    /// The event's identifiers prepared for `platform`, as the pipeline does.
    static func identifiers(_ event: ConversionEvent, for platform: Platform = .meta) -> PreparedIdentifiers {
        IdentifierPreparer.prepare(customer: event.customer, client: event.client, for: platform, defaultRegion: nil)
    }

    /// Consent granted, no restriction.
    static let granted = ConsentDecision(action: .send, reason: .grantedConsentMode, limitedDataUse: .none)

    /// A test access token: must never appear in audit output.
    static let token = "EAAB-test-token-7f3c9a1e5b2d"

    /// The minimal valid Meta settings, plus `extra`.
    static func metaSettings(_ extra: [String: JSONValue] = [:], name: String = "meta") -> DestinationSettings {
        var settings: [String: JSONValue] = ["pixel_id": .string("1234567890"), "access_token": .string(token)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "meta", settings: settings)
    }

    /// A Meta destination with the minimal settings plus `extra`.
    static func meta(_ extra: [String: JSONValue] = [:]) throws -> MetaDestination {
        try MetaDestination(metaSettings(extra))
    }

    /// The Standard Webhooks test secret of the source fixtures.
    static let webhookSecret = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="

    /// 2026-03-14T16:00:00Z, shortly after the fixture purchase.
    static let sentAt = Timestamp(secondsSinceEpoch: 1_773_504_000)

    /// The item `destination` makes for `event`, or a test failure.
    static func item(
        _ destination: some Destination, _ event: ConversionEvent, consent: ConsentDecision = granted, now: Timestamp = ItemTestSupport.farFuture
    ) throws -> JSONValue {
        let outcome = destination.makeItem(event, identifiers: identifiers(event, for: destination.platform), consent: consent, now: now)
        guard case .item(let item) = outcome else {
            Issue.record("expected an item, got \(outcome)")
            throw FixtureError.skipped
        }
        return item.json
    }

    enum FixtureError: Error { case skipped }

    /// Personal data of the purchase fixture that must never appear hashed-free in Meta's hashed keys.
    static let rawIdentifiers = [
        "noah.schmidt@example.de", "+4917612345678", "4917612345678", "Noah", "noah", "Schmidt", "schmidt", "Hamburg", "hamburg",
        "cust_10442", "1988-07-21", "19880721",
    ]
}
