#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The only place that writes to the terminal.
enum Console {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    static func out(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    static func out(bytes: [UInt8]) {
        write(bytes, to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    /// Rewrites one status line on standard error (nil clears it): only used when it is a terminal.
    static func progress(_ line: String?) {
        write("\r\u{1B}[2K" + (line ?? ""), to: STDERR_FILENO)
    }

    /// Writes all of `text`; a closed pipe (`| head`) ends the process quietly, as Unix tools do.
    private static func write(_ text: String, to descriptor: Int32) {
        write(Array(text.utf8), to: descriptor)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        do {
            try Files.writeAll(bytes, to: descriptor)
        } catch let error as POSIXError where error.code == .EPIPE {
            exit(0)
        } catch {
            // The terminal or pipe is gone otherwise: nothing is left to tell.
        }
    }
}
