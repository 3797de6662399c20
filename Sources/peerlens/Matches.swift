import ArgumentParser
import PeerLensCommands

/// `peerlens matches`
struct Matches: ParsableCommand {
    static let configuration = MatchesCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: MatchesCommand
    func run() throws { try Publish.print(command, publish) }
}
