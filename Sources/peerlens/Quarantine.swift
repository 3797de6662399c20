import ArgumentParser
import PeerLensCommands

/// `peerlens quarantine`
struct Quarantine: ParsableCommand {
    static let configuration = QuarantineCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: QuarantineCommand
    func run() throws { try Publish.print(command, publish) }
}
