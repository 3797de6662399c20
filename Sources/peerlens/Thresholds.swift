import ArgumentParser
import PeerLensCommands

/// `peerlens thresholds`
struct Thresholds: ParsableCommand {
    static let configuration = ThresholdsCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: ThresholdsCommand
    func run() throws { try Publish.print(command, publish) }
}
