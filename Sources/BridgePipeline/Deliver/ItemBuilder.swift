import BridgeCore
import BridgeDestinations
import BridgeStore

/// Builds a claimed delivery's item, encoded once, as it is sent: from its
/// typed record (`PreparedDeliveryRecord`), the event's clear part and the
/// event's browser context, unsealed here (the only unseal on the way out).
/// Deliveries prepared by earlier versions (the platform's JSON item and its
/// sealed clear fields) are rebuilt from those.
struct ItemBuilder: Sendable {
    let destination: any Destination
    let sealer: IdentifierSealer

    func build(_ claim: ClaimedDelivery, now: Timestamp) -> Result<EncodedJSON, ItemBuildProblem> {
        guard PreparedDeliveryRecord.isRecord(claim.payload) else { return buildLegacy(claim) }
        let record: PreparedDeliveryRecord
        var event: ConversionEvent
        do {
            record = try PreparedDeliveryRecord(bytes: claim.payload)
            event = try StoredEventCodec.event(clear: claim.eventBody, source: claim.source)
        } catch {
            return .failure(.corrupt)
        }
        var context = EventSendContext()
        if let sealed = claim.clientSealed {
            // A context sealed under a key this process lacks (an ephemeral
            // development key before a restart): sent without it.
            let binding = ClaimedDelivery.clientSealContext(source: claim.source, eventID: claim.eventID)
            if let opened = try? sealer.open(sealed, context: binding), let read = try? EventSendContext(bytes: opened) { context = read }
        }
        event.client = context.client
        let identifiers = record.identifiers(for: destination.platform, context: context)
        switch destination.makeItem(event, identifiers: identifiers, consent: record.consent, now: now) {
        case .skip(let reason):
            return .failure(.notSendable(reason))
        case .item(let item):
            guard let encoded = try? item.encoded() else { return .failure(.corrupt) }
            return .success(encoded)
        }
    }

    /// An item stored as the platform's JSON without its clear fields, which
    /// were sealed apart as `{pointer: value}`: joined back and encoded with
    /// those pointers as the clear values.
    func buildLegacy(_ claim: ClaimedDelivery) -> Result<EncodedJSON, ItemBuildProblem> {
        guard var item = try? JSONParser.parse(claim.payload) else { return .failure(.corrupt) }
        var clearPaths: [JSONPointer] = []
        if let sealed = claim.sealed {
            let context = ClaimedDelivery.sealContext(destination: claim.destination, source: claim.source, eventID: claim.eventID)
            if let opened = try? sealer.open(sealed, context: context), case .object(let fields)? = try? JSONParser.parse(opened) {
                for (text, value) in fields.sorted(by: { $0.key < $1.key }) {
                    guard let pointer = JSONPointer(parsing: text) else { continue }
                    item = item.setting(value, at: pointer)
                    clearPaths.append(pointer)
                }
            }
        }
        guard let encoded = try? JSONBytesEncoder.encode(JSONTreeItem(item, clearPaths: clearPaths)) else { return .failure(.corrupt) }
        return .success(encoded)
    }
}

/// Why a claimed delivery could not be turned into an item (it is dead-lettered).
enum ItemBuildProblem: Error, Equatable {
    /// The stored record or event cannot be read.
    case corrupt
    /// The destination no longer takes the event (its configuration changed
    /// since the event was prepared).
    case notSendable(String)

    var code: String {
        switch self {
        case .corrupt: "corrupt_delivery"
        case .notSendable: "not_sendable"
        }
    }

    var message: String {
        switch self {
        case .corrupt: "the stored delivery cannot be read"
        case .notSendable(let reason): "the destination does not take this event any more (\(reason))"
        }
    }
}
