import ArgumentParser

/// What one command's `--replicates` defaults to, says in its help, and accepts.
protocol BootstrapDefaults {
    /// The default number of replicates.
    static var replicates: Int { get }
    /// The help of `--replicates`.
    static var help: String { get }
    /// Whether `--replicates 0` (no bootstrap) is accepted.
    static var allowsNone: Bool { get }
}

/// `--replicates N --seed S`: one bootstrap's options, with the defaults and help of the command that has them.
struct BootstrapOptions<Defaults: BootstrapDefaults>: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(Defaults.help))
    var replicates: Int = Defaults.replicates

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 1

    init() {}

    /// Replicates must be at least 100 (or 0, where the command allows no bootstrap).
    func validate() throws {
        if Defaults.allowsNone, replicates == 0 { return }
        guard replicates >= 100 else {
            throw ValidationError(Defaults.allowsNone ? "--replicates must be 0 or at least 100" : "--replicates must be at least 100")
        }
    }
}
