/// Consent grants in stored records: one byte, 0 unknown, 1 granted,
/// 2 denied (any other byte reads as unknown).
extension BinaryWriter {
    /// Appends a grant state.
    public mutating func grant(_ state: ConsentSignals.GrantState?) {
        switch state {
        case nil: byte(0)
        case .granted?: byte(1)
        case .denied?: byte(2)
        }
    }
}

extension BinaryReader {
    /// Reads a grant state.
    public mutating func grant() throws(Truncated) -> ConsentSignals.GrantState? {
        switch try byte() {
        case 1: .granted
        case 2: .denied
        default: nil
        }
    }
}
