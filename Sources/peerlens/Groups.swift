import ArgumentParser
import PeerLensCommands

/// `peerlens groups`
struct Groups: ParsableCommand {
    static let configuration = GroupsCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: GroupsCommand
    func run() throws { try Publish.print(command, publish) }
}
