#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output or error written with `write(2)`: a reader that has gone
/// away (a log pipe whose other end closed, `capi-bridge report | head`:
/// EPIPE) or a full disk loses the output, never the process.
/// `FileHandle.write` traps on such an error, so a supervisor that closed
/// its log pipe would turn the next log line, e.g. the one SIGTERM writes,
/// into a crash.
public struct ProcessStream: Sendable {
    let descriptor: Int32

    public static let standardOutput = ProcessStream(descriptor: 1)
    public static let standardError = ProcessStream(descriptor: 2)

    /// Makes a write to a pipe nobody reads fail with EPIPE instead of
    /// killing the process with SIGPIPE: for long-running commands (`serve`),
    /// whose logs go to a pipe owned by a supervisor that may restart.
    public static func ignoreBrokenPipes() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `text`.
    public func write(_ text: String) { write(Array(text.utf8)) }

    /// Writes all of `bytes`, retrying after interruptions and partial
    /// writes; gives up silently on any other error.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Self.systemWrite(descriptor, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, pointer, count)
        #else
        Darwin.write(descriptor, pointer, count)
        #endif
    }
}
