import Crypto

/// The hash chain that makes the audit log tamper-evident.
///
/// Each entry's hash is
///
///     hash = lowercase hex( SHA-256( canonical(entry without "hash") ) )
///
/// where `canonical` is `JSONWriter`'s serialization: compact (no white
/// space), object keys sorted, strings as raw UTF-8 with only `"`, `\` and
/// control characters escaped (`\n`, `\r`, `\t`, else `\u00XX`), numbers
/// exactly as written. The hashed object includes `prev_hash`, the previous
/// entry's hash (64 zeros, `genesisHash`, for the first entry), and `seq`,
/// so changing, deleting, inserting or reordering any line breaks the chain
/// at that line. The written line is the canonical serialization *with*
/// `hash`; verification recomputes the hash from the parsed line.
///
/// The chain runs across day files: the first entry of a day's file links to
/// the last entry of the previous file, and `seq` keeps counting.
///
/// What it cannot show on its own: that the last lines of the newest file
/// were not removed (nothing follows them), or that the whole chain was not
/// rewritten by someone able to recompute every hash. The store keeps the
/// chain head (`AuditChainHead`); `AuditVerifier` compares the newest entry
/// with it when given one.
public enum AuditChain {
    /// The `prev_hash` of the first entry: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The hash of `entry` as defined above; its `hash` field is ignored.
    public static func hash(of entry: AuditEntry) -> String {
        hash(ofCanonical: entry.jsonValue(includingHash: false))
    }

    /// The hash of an entry's JSON object without its `hash` member.
    static func hash(ofCanonical value: JSONValue) -> String {
        var stripped = value
        if case .object(var members) = value {
            members["hash"] = nil
            stripped = .object(members)
        }
        return ClearFieldDigester.hex(SHA256.hash(data: JSONWriter.bytes(stripped)))
    }

    /// `entry` linked after `previousHash` and given its own hash.
    public static func seal(_ entry: AuditEntry, previousHash: String) -> AuditEntry {
        var sealed = entry
        sealed.previousHash = previousHash
        sealed.hash = nil
        sealed.hash = hash(of: sealed)
        return sealed
    }

    /// The line to append for a sealed entry: canonical JSON, no newline.
    public static func line(for sealed: AuditEntry) -> String {
        JSONWriter.string(sealed.jsonValue(includingHash: true))
    }

    /// Appends `entry` after `head`: numbers it, links it, seals it.
    /// - Returns: The sealed entry, its line (without newline), the file it
    ///   belongs in, and the new head to store.
    public static func append(_ entry: AuditEntry, after head: AuditChainHead) -> AuditAppend {
        var sealed = entry
        sealed.sequence = head.sequence + 1
        sealed.previousHash = head.hash
        sealed.hash = nil
        // Serialize every member once; the hashed form and the line differ only
        // by the `hash` member, so both are assembled from the same pieces
        // (the request can be a megabyte: one serialization, not three).
        guard case .object(let members) = sealed.jsonValue(includingHash: false) else { preconditionFailure("an entry is an object") }
        var pieces: [(key: String, bytes: [UInt8])] = members.map { key, value in
            var bytes: [UInt8] = []
            JSONWriter.writeString(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &bytes)
            return (key, bytes)
        }
        pieces.sort { $0.key < $1.key }
        func assemble(_ parts: [(key: String, bytes: [UInt8])]) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "{")]
            out.reserveCapacity(parts.reduce(2) { $0 + $1.bytes.count + 1 })
            for (index, part) in parts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: part.bytes)
            }
            out.append(UInt8(ascii: "}"))
            return out
        }
        let hash = ClearFieldDigester.hex(SHA256.hash(data: assemble(pieces)))
        sealed.hash = hash
        var hashPiece: [UInt8] = []
        JSONWriter.writeString("hash", into: &hashPiece)
        hashPiece.append(UInt8(ascii: ":"))
        JSONWriter.writeString(hash, into: &hashPiece)
        pieces.append(("hash", hashPiece))
        pieces.sort { $0.key < $1.key }
        return AuditAppend(
            entry: sealed, line: String(decoding: assemble(pieces), as: UTF8.self), fileName: AuditFileName.name(for: sealed.completedAt),
            head: AuditChainHead(sequence: sealed.sequence, hash: hash))
    }
}

/// The last entry of the chain: what the store keeps so the next entry can
/// link to it and so truncation of the newest file can be detected.
public struct AuditChainHead: Sendable, Hashable {
    /// The last entry's `seq` (0 before any entry).
    public var sequence: Int64
    /// The last entry's hash (`AuditChain.genesisHash` before any entry).
    public var hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    /// The head of an empty chain.
    public static let genesis = AuditChainHead(sequence: 0, hash: AuditChain.genesisHash)
}

/// The result of `AuditChain.append`.
public struct AuditAppend: Sendable, Equatable {
    public var entry: AuditEntry
    /// The canonical JSON line, without the trailing newline.
    public var line: String
    /// `audit-YYYY-MM-DD.jsonl` of the entry's `completedAt` (UTC).
    public var fileName: String
    public var head: AuditChainHead
}
