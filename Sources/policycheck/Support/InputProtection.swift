#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

/// Input files are only ever read: a report file that is one of the run's inputs (`-o records.csv` by a slip
/// of the hand) would replace the records being checked, so the run stops before reading anything.
enum InputProtection {
    static func refuseOverwriting(_ inputs: [String], with targets: [OutputOptions.Target]) throws {
        let inputFiles = inputs.compactMap(identity)
        for target in targets {
            guard let path = target.path, let output = identity(of: path), inputFiles.contains(where: { $0 == output }) else { continue }
            Console.error("error: cannot write `\(path)`: it is an input of this run, and the report would replace it [file-unwritable]")
            throw ExitCode(2)
        }
    }

    /// The device and inode of an existing file: two paths name one file when these agree.
    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }
}
