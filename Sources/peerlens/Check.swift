import ArgumentParser
import PeerLensCommands

/// `peerlens check`
struct Check: ParsableCommand {
    static let configuration = CheckCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: CheckCommand
    func run() throws { try Publish.print(command, publish) }
}
