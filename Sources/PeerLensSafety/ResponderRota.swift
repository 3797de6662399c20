import Foundation

/// Who is on duty to answer alerts: the declared rota behind alerts per responder-hour (`thresholds
/// --responders-per-shift N [--shift-hours H]` or `--rota FILE`).
///
/// Responder-hours per day are the rota's responder-hours over one week divided by 7; alerts per
/// responder-hour at a threshold are alerts per day ÷ responder-hours per day — the average number of alerts
/// each staffed hour has to absorb, assuming alerts raised outside staffed hours wait for the next shift. They
/// are never inferred from response events: hours in which someone happened to answer an alert say nothing
/// about how many people were on duty.
public struct ResponderRota: Sendable, Equatable, Codable {
    /// One staffed period of the week.
    public struct Shift: Sendable, Equatable, Codable {
        /// ISO weekday 1 (Monday) … 7 (Sunday), or nil for every day.
        public let weekday: Int?
        /// Start, in hours after midnight (0 ≤ start < 24).
        public let startHour: Double
        /// End, in hours after midnight (0 < end ≤ 24); an end at or before the start runs past midnight.
        public let endHour: Double
        /// Responders on duty during the shift.
        public let responders: Double

        /// Hours the shift lasts (past midnight: until the end hour of the next day).
        public var hours: Double { endHour > startHour ? endHour - startHour : 24 - startHour + endHour }

        enum CodingKeys: String, CodingKey { case weekday, startHour = "start_hour", endHour = "end_hour", responders }
    }

    /// The staffed periods.
    public let shifts: [Shift]
    /// Where the rota came from, in words (`3 responders per shift, 24 hours a day`, `rota file rota.csv`).
    public let source: String

    enum CodingKeys: String, CodingKey { case shifts, source }

    /// Responder-hours per day: Σ over shifts of hours × responders × (7 for every-day shifts, else 1), ÷ 7.
    public var responderHoursPerDay: Double {
        shifts.reduce(0) { $0 + $1.hours * $1.responders * ($1.weekday == nil ? 7 : 1) } / 7
    }

    /// `responders` on duty for `hoursPerDay` hours every day (`--responders-per-shift N --shift-hours H`).
    ///
    /// - Throws: `AnalysisError` unless 0 < responders and 0 < hoursPerDay ≤ 24.
    public static func constant(responders: Double, hoursPerDay: Double = 24) throws -> ResponderRota {
        guard responders > 0, responders.isFinite else { throw AnalysisError("responders per shift must be a positive number") }
        guard hoursPerDay > 0, hoursPerDay <= 24 else { throw AnalysisError("shift hours must be more than 0 and at most 24 (hours covered per day)") }
        let n = responders == responders.rounded() ? String(Int(responders)) : String(responders)
        let h = hoursPerDay == hoursPerDay.rounded() ? String(Int(hoursPerDay)) : String(hoursPerDay)
        return ResponderRota(shifts: [Shift(weekday: nil, startHour: 0, endHour: hoursPerDay, responders: responders)],
                             source: "\(n) responder\(responders == 1 ? "" : "s") per shift, \(h) hours a day")
    }

    /// Reads a rota CSV: a header `weekday,start,end,responders`, then one staffed period per line. `weekday` is
    /// `mon` … `sun` (or `monday` …, any case) or `all`/`*` for every day; `start` and `end` are `HH:MM` (24-hour
    /// clock, `24:00` allowed as an end; an end at or before the start runs past midnight); `responders` is a
    /// positive number. Blank lines and lines starting with `#` are skipped.
    ///
    /// - Throws: `AnalysisError` naming the line and the field at fault (never the value), or an unreadable file.
    public static func read(path: String) throws -> ResponderRota {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AnalysisError("cannot read the rota file \(path): \(error.localizedDescription)")
        }
        return try parse(text, name: (path as NSString).lastPathComponent)
    }

    /// Parses the text of a rota CSV (see `read(path:)`); `name` names it in messages and in `source`.
    public static func parse(_ text: String, name: String) throws -> ResponderRota {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty && !$0.text.hasPrefix("#") }
        guard let header = lines.first else { throw AnalysisError("rota \(name): empty; expected a header weekday,start,end,responders") }
        let columns = header.text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard columns == ["weekday", "start", "end", "responders"] else {
            throw AnalysisError("rota \(name), line \(header.number): the header must be weekday,start,end,responders")
        }
        lines.removeFirst()
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        let fullDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        func hour(_ s: String, end: Bool) -> Double? {
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<60).contains(m) else { return nil }
            let x = Double(h) + Double(m) / 60
            return end ? (x > 0 && x <= 24 ? x : (x == 0 ? 24 : nil)) : (x >= 0 && x < 24 ? x : nil)
        }
        var shifts: [Shift] = []
        for line in lines {
            let f = line.text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == 4 else { throw AnalysisError("rota \(name), line \(line.number): expected 4 fields (weekday,start,end,responders), found \(f.count)") }
            let w = f[0].lowercased()
            let weekday: Int?
            if w == "all" || w == "*" { weekday = nil } else if let i = days.firstIndex(of: w) ?? fullDays.firstIndex(of: w) {
                weekday = i + 1
            } else { throw AnalysisError("rota \(name), line \(line.number): weekday must be mon … sun or all") }
            guard let start = hour(f[1], end: false) else { throw AnalysisError("rota \(name), line \(line.number): start must be HH:MM from 00:00 to 23:59") }
            guard let endHour = hour(f[2], end: true) else { throw AnalysisError("rota \(name), line \(line.number): end must be HH:MM from 00:01 to 24:00") }
            guard let responders = Double(f[3]), responders > 0, responders.isFinite else {
                throw AnalysisError("rota \(name), line \(line.number): responders must be a positive number")
            }
            shifts.append(Shift(weekday: weekday, startHour: start, endHour: endHour, responders: responders))
        }
        guard !shifts.isEmpty else { throw AnalysisError("rota \(name): no shifts after the header") }
        return ResponderRota(shifts: shifts, source: "rota file \(name)")
    }
}
