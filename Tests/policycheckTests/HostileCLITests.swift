import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of the binary with what `Process` does not give: the signal that ended it, its peak memory, and a
/// standard output that may be a pipe the test closes under it.
struct ChildProcess {
    struct Outcome {
        /// The exit status, or nil when a signal ended the process.
        var status: Int32?
        var signal: Int32?
        var peakMemoryBytes: Int
    }

    let pid: pid_t

    /// Starts `arguments` (the first is the program) with standard output on `stdoutDescriptor` or into
    /// `stdoutPath`, and standard error into `stderrPath`.
    static func start(_ arguments: [String], stdoutPath: String? = nil, stdoutDescriptor: Int32? = nil,
                      stderrPath: String, closing: [Int32] = []) throws -> ChildProcess {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdoutDescriptor {
            posix_spawn_file_actions_adddup2(&actions, stdoutDescriptor, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        for descriptor in closing { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        // The test runner's threads block most signals and that mask is inherited: the child starts with none
        // blocked and every signal at its default, as from a shell.
        #if canImport(Glibc)
        var attributes = posix_spawnattr_t()
        #else
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environment)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        return ChildProcess(pid: pid)
    }

    /// Waits for the process to end; its own peak resident memory comes from `wait4`, not from the other
    /// children the test runner may have.
    func wait() -> Outcome {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let signal = status & 0x7F
        #if canImport(Darwin)
        let peak = Int(usage.ru_maxrss)
        #else
        let peak = Int(usage.ru_maxrss) * 1024
        #endif
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal, peakMemoryBytes: peak)
    }

    /// Sends `signal` once the process has run for `seconds`.
    func signal(_ signal: Int32, after seconds: Double) {
        usleep(useconds_t(seconds * 1_000_000))
        kill(pid, signal)
    }

    /// The process that does the work while it runs — this one, or under `time` the one `time` started — and
    /// nil once it has ended (Linux's `/proc`; nil at once elsewhere).
    func runningProgram(underTime: Bool) -> ChildProcess? {
        guard let state = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let fields = state.split(separator: ")").last?.split(separator: " "), fields.first != "Z" else { return nil }
        guard underTime else { return self }
        guard let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8),
              let first = children.split(separator: " ").first, let child = pid_t(first) else { return self }
        return ChildProcess(pid: child)
    }

    /// The most resident memory the running process has had so far, from `/proc` (0 where there is none).
    func memoryHighWater() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }

    /// The access mode of each descriptor the running process holds on `path` (Linux's `/proc`); empty elsewhere.
    func accessModes(of path: String) -> [Int32] {
        let folder = "/proc/\(pid)/fd"
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return descriptors.compactMap { descriptor in
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + descriptor)) == path,
                  let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(descriptor)", encoding: .utf8),
                  let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                  let value = Int32(flags.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8)
            else { return nil }
            return value & O_ACCMODE
        }
    }
}

/// The CLI's promises under hostile conditions: nothing half-written, a closed pipe is an ordinary end, inputs
/// are only read, and a gigabyte of input is read in bounded memory.
@Suite("Hostile conditions for the command line", .enabled(if: FileManager.default.fileExists(atPath: CLI.binary)))
final class HostileCLITests {
    /// A scratch folder of this test's own (each test runs on its own instance), removed when it ends.
    let folder: String

    init() throws {
        folder = try Self.folder()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "policycheck-hostile-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let header = "单据编号,单位名称,发生日期,经费类别,金额（元）,预算科目,支付方式,事由,备注\n"

    /// A compliant expense row with a long note, so a large file has a modest number of rows.
    static func row(_ number: Int, note: String) -> String {
        "CZJ-2023-\(number),绍兴市财政局,2023-03-\(1 + number % 28),其他,\(100 + number % 900).50,办公费,银行转账,办公用品采购,\"\(note)\"\n"
    }

    static let note = String(repeating: "办公用品采购，含纸张、墨盒、文件夹等日常耗材；按政府采购目录在定点供应商处购买，已履行内部审批。", count: 60)

    /// Writes a CSV of at least `bytes` bytes, in blocks, and returns its path and row count.
    static func largeCSV(_ bytes: Int, in folder: String, lastLine: String) throws -> (path: String, rows: Int) {
        let path = folder + "/large.csv"
        FileManager.default.createFile(atPath: path, contents: Data(header.utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        var written = header.utf8.count
        var rows = 0
        while written < bytes {
            var block = ""
            for _ in 0..<256 {
                rows += 1
                block += row(rows, note: note)
            }
            let data = Data(block.utf8)
            try handle.write(contentsOf: data)
            written += data.count
        }
        try handle.write(contentsOf: Data(lastLine.utf8))
        return (path, rows + 1)
    }

    static func contents(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    // MARK: - `-o` is written whole or not at all

    @Test("a run interrupted before its report is written leaves the earlier report as it was, and nothing else",
          arguments: [SIGINT, SIGTERM, SIGKILL])
    func interrupted(_ signal: Int32) throws {
        // The input is a FIFO the test feeds: the run is surely in the middle of reading when the signal comes.
        let input = folder + "/batch.csv"
        #expect(mkfifo(input, 0o644) == 0)
        let output = folder + "/out/report.json"
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        try "an earlier report\n".write(toFile: output, atomically: true, encoding: .utf8)
        let child = try ChildProcess.start([CLI.binary, "audit", "--no-progress", "--format", "json", "-o", output, input],
                                           stderrPath: folder + "/stderr")
        Foundation.signal(SIGPIPE, SIG_IGN)  // should the run end early, writing to the FIFO fails instead of killing the tests
        let feed = open(input, O_WRONLY | O_CLOEXEC)
        #expect(feed >= 0)
        let rows = Array((Self.header + (1...2_000).map { Self.row($0, note: "备注") }.joined()).utf8)
        let written = rows.withUnsafeBytes { write(feed, $0.baseAddress, $0.count) }
        #expect(written == rows.count)
        child.signal(signal, after: 0.5)
        let outcome = child.wait()
        close(feed)
        #expect(outcome.signal == signal, "the run ended before it was interrupted: \(outcome)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "an earlier report\n")
        #expect(Self.contents(of: folder + "/out") == ["report.json"])
    }

    @Test("a report that cannot be written is an error, exit 2, and leaves no file behind")
    func unwritable() throws {
        let input = CLI.root + "/samples/spending/expenses-2022-2024.csv"
        // A folder where the report should go, and a path under a file.
        try FileManager.default.createDirectory(atPath: folder + "/report.json", withIntermediateDirectories: true)
        try "not a folder".write(toFile: folder + "/plain", atomically: true, encoding: .utf8)
        for target in [folder + "/report.json", folder + "/plain/report.json", folder + "/missing/report.json"] {
            let result = try CLI.run(["audit", "--no-progress", "--format", "json", "-o", target, input])
            #expect(result.status == 2, "\(target)")
            #expect(result.stderr.contains("error: cannot write `\(target)`"), "\(result.stderr)")
            #expect(Self.contents(of: folder) == ["plain", "report.json"], "\(target)")
            #expect(Self.contents(of: folder + "/report.json").isEmpty)
        }
    }

    @Test("a disk that fills while the report is written leaves the earlier report whole, exit 2")
    func diskFull() throws {
        let output = folder + "/report.json"
        try "an earlier report\n".write(toFile: output, atomically: true, encoding: .utf8)
        let input = CLI.root + "/samples/spending/expenses-2022-2024.csv"
        // A file-size limit of 8 KiB plays the full disk: writes past it fail with EFBIG (SIGXFSZ ignored).
        let script = "ulimit -f 16; trap '' XFSZ; exec \"$0\" \"$@\""
        let logs = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: logs) }
        let child = try ChildProcess.start(["/bin/sh", "-c", script, CLI.binary, "audit", "--no-progress", "--format", "json",
                                            "-o", output, input], stderrPath: logs + "/stderr")
        let outcome = child.wait()
        let stderr = try String(contentsOfFile: logs + "/stderr", encoding: .utf8)
        #expect(outcome.status == 2, "\(stderr)")
        #expect(stderr.contains("error: cannot write"), "\(stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "an earlier report\n")
        #expect(Self.contents(of: folder) == ["report.json"])
    }

    @Test("a report file that is one of the inputs is refused before anything is read")
    func outputOverInput() throws {
        let input = folder + "/batch.csv"
        try FileManager.default.copyItem(atPath: CLI.root + "/samples/spending/expenses-2022-2024.csv", toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let result = try CLI.run(["audit", "--no-progress", "-o", "batch.csv", "batch.csv"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "error: cannot write `batch.csv`: it is an input of this run, and the report would replace it [file-unwritable]\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        let check = try CLI.run(["check", "-o", input, "--format", "json", CLI.root + "/samples/decisions/ok-01-chengshi-gengxin.yaml", input])
        #expect(check.status == 2, "\(check.stderr)")
    }

    // MARK: - A closed pipe

    @Test("output into a pipe closed early (`| head`) ends quietly: no signal, no message",
          arguments: [["rules", "doc"], ["audit", "--no-progress", "LARGE"], ["audit", "--no-progress", "--format", "json", "LARGE"]])
    func closedPipe(_ arguments: [String]) throws {
        // The spending sample forty times over: hundreds of kilobytes of findings, more than a pipe holds.
        let sample = try String(contentsOfFile: CLI.root + "/samples/spending/expenses-2022-2024.csv", encoding: .utf8)
        let rows = sample.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        let large = folder + "/large.csv"
        try (String(sample.prefix { $0 != "\n" }) + "\n" + String(repeating: rows, count: 40)).write(toFile: large, atomically: true, encoding: .utf8)
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let child = try ChildProcess.start([CLI.binary] + arguments.map { $0 == "LARGE" ? large : $0 }, stdoutDescriptor: descriptors[1],
                                           stderrPath: folder + "/stderr", closing: [descriptors[0]])
        close(descriptors[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let got = read(descriptors[0], &buffer, buffer.count)
        #expect(got > 0)
        close(descriptors[0])
        let outcome = child.wait()
        #expect(outcome.signal == nil, "killed by signal \(outcome.signal ?? 0)")
        #expect(outcome.status != 2)
        #expect(try String(contentsOfFile: folder + "/stderr", encoding: .utf8) == "")
    }

    // MARK: - A gigabyte

    /// A gigabyte of rows takes minutes in a debug build: run where `POLICYCHECK_LARGE_TESTS` is set, as
    /// `scripts/test.sh` does under CI.
    static let largeTestsEnabled = ProcessInfo.processInfo.environment["POLICYCHECK_LARGE_TESTS"].map { !$0.isEmpty && $0 != "0" } ?? false

    @Test("a 1 GB CSV whose last line has no line end is read whole in under 200 MiB, its input only read",
          .enabled(if: largeTestsEnabled), .timeLimit(.minutes(10)))
    func oneGigabyte() throws {
        // The last row breaks a rule (a 住宿 category is not an expense category) so it shows in the report,
        // and has no line end.
        let last = "CZJ-2023-LAST,绍兴市财政局,2023-12-31,住宿,88.80,办公费,银行转账,最后一行,无换行"
        let input = try Self.largeCSV(1 << 30, in: folder, lastLine: last)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: input.path)
        let before = try FileManager.default.attributesOfItem(atPath: input.path)
        let output = folder + "/report.json"
        // A child spawned from this big test process inherits its memory high-water mark at exec (posix_spawn
        // shares the address space until then), so the peak is measured by `time`, a small parent of its own,
        // or else read from /proc while the run goes on.
        let timeTool = "/usr/bin/time"
        #if os(Linux)
        let measuredByTime = FileManager.default.isExecutableFile(atPath: timeTool)  // GNU time: `-f %M` is the peak in KiB
        #else
        let measuredByTime = false
        #endif
        let peakFile = folder + "/peak"
        let started = Date()
        let child = try ChildProcess.start((measuredByTime ? [timeTool, "-f", "%M", "-o", peakFile] : [])
                                           + [CLI.binary, "audit", "--no-progress", "--type", "expense", "--format", "json",
                                              "-o", output, input.path], stderrPath: folder + "/stderr")
        // While it runs, every descriptor it holds on the input is read-only.
        var modes: [Int32] = []
        var highWater = 0
        while let audit = child.runningProgram(underTime: measuredByTime) {
            modes += audit.accessModes(of: input.path)
            highWater = max(highWater, audit.memoryHighWater())
            usleep(100_000)
        }
        let outcome = child.wait()
        let seconds = Date().timeIntervalSince(started)
        let stderr = try String(contentsOfFile: folder + "/stderr", encoding: .utf8)
        #expect(outcome.status == 2, "\(stderr)")
        let peak: Int
        if measuredByTime {
            // The last line: before it `time` notes a non-zero exit status.
            let lines = try String(contentsOfFile: peakFile, encoding: .utf8).split(separator: "\n")
            peak = (lines.last.flatMap { Int($0) } ?? Int.max / 1024) * 1024
        } else {
            #if os(Linux)
            peak = highWater
            #else
            peak = outcome.peakMemoryBytes
            #endif
        }
        #expect(peak < 200 << 20, "peak \(peak >> 20) MiB")
        #expect(modes.allSatisfy { $0 == O_RDONLY })
        #if os(Linux)
        #expect(!modes.isEmpty, "the input was never seen open")
        #endif
        print("1 GB audit: \(input.rows) rows, peak \(peak >> 20) MiB, \(Int(seconds)) s")

        let report = try CLI.json(try String(contentsOfFile: output, encoding: .utf8))
        let audit = try #require(report["audit"] as? [String: Any])
        #expect(audit["rowsRead"] as? Int == input.rows - 1)
        let errors = try #require(report["inputErrors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors.first?["line"] as? Int == input.rows + 1)
        #expect(errors.first?["column"] as? Int == 4)
        #expect((errors.first?["message"] as? String)?.contains("`住宿`") == true)
        #expect(stderr.contains("  | CZJ-2023-LAST,"))

        let after = try FileManager.default.attributesOfItem(atPath: input.path)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
        #expect(after[.size] as? Int == before[.size] as? Int)
    }
}
