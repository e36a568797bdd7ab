extension IngestRequest {
    /// The longest delivery-key text kept per event (`events.delivery_keys`,
    /// and the tail of `events.duplicate_keys`).
    static let maxArrivalKeyCharacters = 1000

    /// The request's delivery keys as an event keeps them: space-separated
    /// (keys are printable ASCII without spaces), sorted, at most
    /// `maxArrivalKeyCharacters`; `nil` when the request has none.
    var arrivalKeys: String? {
        guard !deliveryKeys.isEmpty else { return nil }
        var text = ""
        for key in Set(deliveryKeys).sorted() {
            let addition = text.isEmpty ? key : " " + key
            guard text.utf8.count + addition.utf8.count <= Self.maxArrivalKeyCharacters else { break }
            text += addition
        }
        return text.isEmpty ? nil : text
    }

    /// What a duplicate adds to `events.duplicate_keys`: its keys, or `-`
    /// for a duplicate that came without any (same event id, no delivery id).
    var duplicateKeyText: String { arrivalKeys ?? "-" }
}
