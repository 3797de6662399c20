import ArgumentParser
import PeerLensCommands

/// `peerlens skills`
struct Skills: ParsableCommand {
    static let configuration = SkillsCommand.configuration
    @OptionGroup var publish: PublishOptions
    @OptionGroup var command: SkillsCommand
    func run() throws { try Publish.print(command, publish) }
}
