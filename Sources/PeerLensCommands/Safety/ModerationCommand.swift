import ArgumentParser
import PeerLensDocument
import PeerLensReport
import PeerLensSafety

/// `peerlens moderation`: moderation layers, appeals and re-offence.
public struct ModerationCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "moderation",
        abstract: "Moderation: action rates per layer, appeals and overturns, time to action, re-offence after educate/warn/suspend.",
        discussion: """
        Overturned automatic actions are shown by model score band as a lower bound on the share of actions \
        that were false positives. Small counts are withheld by the output's disclosure policy.
        """
    )

    @Option(help: "The model whose scores band overturned automatic actions.")
    var model: String = "toxicity"

    @Option(help: "Re-offence window in days.")
    var windowDays: Int = 30

    @Option(help: "A space counted as an eating-disorder space (repeatable).")
    var eatingDisorderSpace: [String] = ["eating_disorder"]

    /// Defaults.
    public init() {}

    public func validate() throws {
        guard windowDays > 0 else { throw ValidationError("--window-days must be positive") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        let options = ModerationOptions(model: model, windowDays: windowDays, eatingDisorderSpaces: eatingDisorderSpace)
        let r = try ModerationReport.analyse(store: try context.source(), options: options)
        return Publication(title: "Moderation", subtitle: "Score bands from \(r.model) \(r.version ?? "(no scores)")",
                           sections: [SafetyReport.moderationSection(r)],
                           options: ["model": model, "window_days": "\(windowDays)", "eating_disorder_spaces": eatingDisorderSpace.joined(separator: ",")])
    }
}
