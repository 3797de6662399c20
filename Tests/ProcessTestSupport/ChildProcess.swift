#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A child process for the tests, started with `posix_spawn` and reaped with `waitpid` on its own pid.
///
/// Why not Foundation's `Process`: on Linux it learns that a child ended from a SIGCHLD dispatch source, and
/// libdispatch receives signals through a `signalfd`, which sees a signal only if no thread of the process has it
/// unblocked. Threads that dispatch did not create (SwiftNIO's event loops, which the Spark client starts) leave
/// SIGCHLD unblocked, so the kernel may deliver it there, where it is discarded: the child stays a zombie,
/// `waitUntilExit()` never returns and `terminationHandler` is never called. That hung the whole test run in CI
/// once the Spark tests had started an event loop. `waitpid` on the pid needs no signal at all.
public final class ChildProcess: @unchecked Sendable {  // `exitStatus` is guarded by `lock`
    /// The child's process id.
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` (a path) with `arguments` in `directory` (default: the current one), with the test
    /// process's environment plus `environment`. Standard input is `/dev/null`; standard output and error go to
    /// the files given (both to one file when they are the same path), else to the test process's. The child
    /// starts with no signal blocked and every signal at its default action, whatever the spawning thread had.
    ///
    /// - Throws: `ChildProcessError` when the process cannot be started.
    public init(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                standardOutput: String? = nil, standardError: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let standardOutput {
            posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        if let standardError, standardError == standardOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else if let standardError {
            posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // The working directory through the shell (`posix_spawn_file_actions_addchdir_np` is not portable).
        var argv = [executable] + arguments
        var path = executable
        if let directory {
            path = "/bin/sh"
            argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv
        }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawn(&child, path, &actions, &attributes, cArguments, cEnvironment)
        guard status == 0 else { throw ChildProcessError(description: "could not start \(executable): \(String(cString: strerror(status)))") }
        pid = child
    }

    /// Runs `executable` to its end and returns its exit status (128 + the signal when a signal ended it) and what
    /// it wrote to standard output and error.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out").path, err = scratch.appendingPathComponent("err").path
        let child = try ChildProcess(executable, arguments, in: directory, environment: environment, standardOutput: out, standardError: err)
        let status = child.waitUntilExit()
        func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (status, read(out), read(err))
    }

    /// Whether the child still runs (reaps it when it has ended).
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Sends `signal` to the child (nothing once it has been reaped).
    public func signal(_ signal: Int32) {
        if lock.withLock({ exitStatus == nil }) { kill(pid, signal) }
    }

    /// Blocks until the child ends; its exit status, or 128 + the signal that ended it.
    @discardableResult
    public func waitUntilExit() -> Int32 { reap(blocking: true)! }

    /// Waits for the child's end on a thread of its own, not blocking a thread of Swift's cooperative pool.
    public func terminationStatus() async -> Int32 {
        await onOwnThread { [self] in waitUntilExit() }
    }

    private func reap(blocking: Bool) -> Int32? {
        if let known = lock.withLock({ exitStatus }) { return known }
        var raw: Int32 = 0
        while true {
            let result = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
            if result == pid { break }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            // ECHILD: another caller reaped it meanwhile and recorded the status.
            if errno == ECHILD, let known = lock.withLock({ exitStatus }) { return known }
            preconditionFailure("waitpid(\(pid)) failed: \(String(cString: strerror(errno)))")
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = raw & 0x7f
        let status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        lock.withLock { exitStatus = status }
        return status
    }
}

/// A child process that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
}
