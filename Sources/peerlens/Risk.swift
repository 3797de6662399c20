import ArgumentParser
import PeerLensCommands

/// `peerlens risk`
struct Risk: ParsableCommand {
    static let configuration = RiskCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: RiskCommand
    func run() throws { try Publish.print(command, publish) }
}
