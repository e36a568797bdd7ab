import Crypto
import Synchronization

/// Random 96-bit AES-GCM nonces, drawn from the system's cryptographic
/// generator in blocks (4 KiB, 341 nonces) rather than one system call per
/// seal. Every nonce is still uniformly random and used once: the pool hands
/// each 12 bytes out exactly once, under a lock.
final class NoncePool: Sendable {
    private static let blockBytes = 4096
    private let state = Mutex<(bytes: [UInt8], position: Int)>(([], blockBytes))

    /// The next nonce.
    func next() -> AES.GCM.Nonce {
        let bytes = state.withLock { state -> [UInt8] in
            if state.position + 12 > state.bytes.count {
                state.bytes = SymmetricKey(size: SymmetricKeySize(bitCount: Self.blockBytes * 8)).withUnsafeBytes { Array($0) }
                state.position = 0
            }
            defer { state.position += 12 }
            return Array(state.bytes[state.position..<(state.position + 12)])
        }
        // 12 bytes are always a valid GCM nonce.
        guard let nonce = try? AES.GCM.Nonce(data: bytes) else { return AES.GCM.Nonce() }
        return nonce
    }
}
