import ArgumentParser
import PeerLensCommands

/// `peerlens moderation`
struct Moderation: ParsableCommand {
    static let configuration = ModerationCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: ModerationCommand
    func run() throws { try Publish.print(command, publish) }
}
