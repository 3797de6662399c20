import ArgumentParser
import PeerLensCommands

/// `peerlens engagement`
struct Engagement: ParsableCommand {
    static let configuration = EngagementCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: EngagementCommand
    func run() throws { try Publish.print(command, publish) }
}
