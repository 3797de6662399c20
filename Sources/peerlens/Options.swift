import ArgumentParser
import PeerLensDocument
import Foundation
import Synchronization
import PeerLensStore
import PeerLensCommands

/// `--db PATH`, shared by every command that reads the store. These commands never create, migrate or write a
/// store: a missing file is refused ("no store at …: run `peerlens ingest` first").
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store built by `peerlens ingest` (read only; never created).")
    var db: String = "peerlens.sqlite"

    /// Opens the store read-only (`EventStore.Mode.readOnly`).
    func openReadOnly() throws -> EventStore { try EventStore(path: db, mode: .readOnly) }
}

/// `--db PATH` of `peerlens ingest`, the one command that creates (and migrates) a store.
struct WritableStoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (created if missing).")
    var db: String = "peerlens.sqlite"

    /// Opens the store read-write, creating it if missing and migrating it (`EventStore.Mode.readWrite`).
    func openCreatingIfMissing() throws -> EventStore { try EventStore(path: db, mode: .readWrite) }
}

/// `--format text|md|html|json` of the commands that write (ingest, validate).
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "text for a person, md, html, or json for scripts (docs/cli-json.md).")
    var format: ReportFormat = .text
}

/// `peerlens <name>` of a published command (`peerlens crisis`, `risk`, `outcomes`, …): the command's own options and
/// the publishing options (`--format`, disclosure), its output (`CommandRunner`) printed on standard output. One
/// generic subcommand serves every command of the library instead of a wrapper type each.
struct Published<Command: PublishedCommand>: ParsableCommand {
    static var configuration: CommandConfiguration { Command.configuration }
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: Command

    func run() throws {
        let progress = ProgressLine()
        defer { progress.finish() }
        let text = try CommandRunner.run(command, options: publish, arguments: Array(CommandLine.arguments.dropFirst()),
                                         toolVersion: PeerLensVersion.current, progress: { progress.update($0) })
        progress.finish()
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A progress line on a terminal; silent otherwise. Updated from any thread (a Spark query reports from the
/// client's).
final class ProgressLine: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let shown = Mutex(false)

    func update(_ text: String) {
        guard enabled else { return }
        shown.withLock { shown in
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            shown = true
        }
    }

    func finish() {
        guard enabled else { return }
        shown.withLock { shown in
            guard shown else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            shown = false
        }
    }
}

enum Formatting {
    static func progressText(_ p: IngestProgress, verb: String) -> String {
        let fraction = p.fileSize > 0 ? min(1, Double(p.bytesRead) / Double(p.fileSize)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = p.elapsed > 0 ? Double(p.records) / p.elapsed : 0
        let byteRate = p.elapsed > 0 ? Int64(Double(p.bytesRead) / p.elapsed) : 0
        return "\(verb) \(p.file) \(bar) \(String(format: "%3.0f%%", fraction * 100)) \(ByteCount.text(byteRate))/s \(Formatter.grouped(Int(rate))) events/s"
    }
}
