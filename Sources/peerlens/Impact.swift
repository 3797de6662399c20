import ArgumentParser
import PeerLensCommands

/// `peerlens impact`
struct Impact: ParsableCommand {
    static let configuration = ImpactCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: ImpactCommand
    func run() throws { try Publish.print(command, publish) }
}
