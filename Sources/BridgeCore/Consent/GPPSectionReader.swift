/// Reads the fields of one GPP header or section, turning bit-reader failures
/// into `GPPStringError`s that name the field, the section and the bit.
struct GPPSectionReader {
    private var bits: ConsentBitReader
    /// Index of the `~`-separated part (0 = header).
    let section: Int

    var bitCount: Int { bits.bitCount }

    init(_ text: Substring, section: Int) throws(GPPStringError) {
        do {
            bits = try ConsentBitReader(base64URL: text)
        } catch {
            throw .invalidCharacter(error.character, section: section, position: error.position)
        }
        self.section = section
    }

    private func failure(_ error: ConsentBitReader.Failure, _ field: String) -> GPPStringError {
        switch error {
        case .outOfBits(let bit):
            return .truncated(field: field, section: section, atBit: bit)
        case .fibonacciOverflow(let bit):
            return .invalidFibonacci(field: field, section: section, atBit: bit)
        }
    }

    mutating func int(_ width: Int, _ field: String) throws(GPPStringError) -> Int {
        do { return try bits.readInt(width) } catch { throw failure(error, field) }
    }

    mutating func bool(_ field: String) throws(GPPStringError) -> Bool {
        do { return try bits.readBool() } catch { throw failure(error, field) }
    }

    mutating func fibonacci(_ field: String) throws(GPPStringError) -> Int {
        do { return try bits.readFibonacci() } catch { throw failure(error, field) }
    }

    mutating func skip(_ count: Int, _ field: String) throws(GPPStringError) {
        do { try bits.skip(count) } catch { throw failure(error, field) }
    }
}
