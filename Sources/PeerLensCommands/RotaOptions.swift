import ArgumentParser
import PeerLensDocument
import PeerLensSafety

/// The responder rota of `thresholds` and of the safety report: alerts per responder-hour are published only
/// when one is declared (a number of responders over some hours of every day, or a CSV of staffed periods).
public struct RotaOptions: ParsableArguments, Sendable {
    @Option(help: "Rota: responders on duty per shift (alerts per responder-hour appear only with a declared rota).")
    public var respondersPerShift: Double?

    @Option(help: "Rota (with --responders-per-shift): hours covered per day (default 24).")
    public var shiftHours: Double?

    @Option(help: "Rota: a CSV of staffed periods, header weekday,start,end,responders (e.g. all,08:00,20:00,3; see thresholds --help).")
    public var rota: String?

    /// No rota.
    public init() {}

    /// Whether a rota is declared.
    public var declared: Bool { respondersPerShift != nil || rota != nil }

    public func validate() throws {
        if shiftHours != nil, respondersPerShift == nil { throw ValidationError("--shift-hours goes with --responders-per-shift") }
        if let h = shiftHours, !(h > 0 && h <= 24) { throw ValidationError("--shift-hours is the hours covered per day: more than 0, at most 24") }
        if rota != nil, respondersPerShift != nil { throw ValidationError("give --rota or --responders-per-shift, not both") }
        if let r = respondersPerShift, !(r > 0 && r.isFinite) { throw ValidationError("--responders-per-shift must be positive") }
    }

    /// The declared rota (its file read), or nil without one.
    ///
    /// - Throws: the rota file's errors, naming the file and line.
    public func load() throws -> ResponderRota? {
        if let respondersPerShift { return try ResponderRota.constant(responders: respondersPerShift, hoursPerDay: shiftHours ?? 24) }
        if let rota { return try ResponderRota.read(path: rota) }
        return nil
    }

    /// The rota as provenance options.
    public var described: [String: String] {
        var out: [String: String] = [:]
        if let respondersPerShift { out["responders_per_shift"] = Formatter.fixed(respondersPerShift, 2) }
        if let shiftHours { out["shift_hours"] = Formatter.fixed(shiftHours, 2) }
        if let rota { out["rota"] = rota }
        return out
    }
}
