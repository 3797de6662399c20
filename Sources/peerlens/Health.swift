import ArgumentParser
import PeerLensCommands

/// `peerlens health`
struct Health: ParsableCommand {
    static let configuration = HealthCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: HealthCommand
    func run() throws { try Publish.print(command, publish) }
}
