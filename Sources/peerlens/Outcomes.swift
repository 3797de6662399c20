import ArgumentParser
import PeerLensCommands

/// `peerlens outcomes`
struct Outcomes: ParsableCommand {
    static let configuration = OutcomesCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: OutcomesCommand
    func run() throws { try Publish.print(command, publish) }
}
