import ArgumentParser
import PeerLensCommands

/// `peerlens crisis`
struct Crisis: ParsableCommand {
    static let configuration = CrisisCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: CrisisCommand
    func run() throws { try Publish.print(command, publish) }
}
