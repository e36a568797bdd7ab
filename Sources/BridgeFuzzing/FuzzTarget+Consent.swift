import BridgeCore

extension FuzzTarget {
    func consent(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .tcf: _ = try? TCString(decoding: text)
        case .gpp: _ = try? GPPString(decoding: text)
        default: _ = try? USPrivacyString(decoding: text)
        }
    }
}
