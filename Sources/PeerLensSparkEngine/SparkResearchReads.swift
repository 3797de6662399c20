import PeerLensArrow
import PeerLensLog
import PeerLensSpark
import PeerLensStore

extension SparkEventSource {
    /// Runs `read` in Spark (its aggregated statement where it has one: only folded rows come back) and calls `body`
    /// with each row, in the read's order.
    ///
    /// - Throws: `SparkError`; `ArrowError` when a column is not of the read's type; what `body` throws.
    public func forEachRow(of read: ResearchRead, _ body: (any ReadRow) throws -> Void) throws {
        let statement = read.aggregatedStatement ?? read.statement
        let arguments = read.arguments.mapValues(SparkLiteral.string)
        let rows = try withSession(read.operation, tables: read.tables) { client in
            try DecodedRows(try DecodedResult(try await client.sql(statement, arguments: arguments, label: read.operation)), types: read.columns)
        }
        for index in 0..<rows.count {
            rows.index = index
            try body(rows)
        }
    }

    public func instruments() throws -> [String] { try distinct("instrument", of: "checkin", "listing instruments") }

    public func hasCheckins(instrument: String) throws -> Bool {
        let operation = "looking for \(instrument) check-ins"
        return try withSession(operation, tables: ["checkin"]) { client in
            let found = try DecodedResult(try await client.sql("SELECT count(*) AS n FROM (SELECT 1 FROM checkin WHERE instrument = :instrument LIMIT 1) c",
                                                               arguments: ["instrument": .string(instrument)], label: operation))
            return ((try found.integers("n").first ?? nil) ?? 0) > 0
        }
    }

    public func dataSpan(of types: [EventType]) throws -> (first: Int64, last: Int64)? {
        let operation = "reading the data period"
        guard !types.isEmpty else { return nil }
        let spans = types.map { "SELECT min(ts) AS first, max(ts) AS last FROM \(SparkSQL.identifier($0.rawValue))" }.joined(separator: " UNION ALL ")
        return try withSession(operation, tables: types.map(\.rawValue)) { client in
            let result = try DecodedResult(try await client.sql("SELECT min(first) AS first, max(last) AS last FROM (\(spans)) s", label: operation))
            guard let first = try result.integers("first").first ?? nil, let last = try result.integers("last").first ?? nil else { return nil }
            return (first, last)
        }
    }
}

/// A decoded result read row by row through `ReadRow`, its columns taken by position with the types a read declares.
final class DecodedRows: ReadRow, @unchecked Sendable {
    private enum Column {
        case text([String?])
        case integer([Int64?])
        case real([Double?])
    }

    private let columns: [Column]
    /// Rows in all.
    let count: Int
    /// The current row.
    var index = 0
    /// The UTF-8 bytes of the last string asked for as bytes, valid until the next call.
    private var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64)

    /// The columns of `result` by position, read as `types`.
    ///
    /// - Throws: `ArrowError` when a column is missing or not of its type.
    init(_ result: DecodedResult, types: [MirroredTable.StorageType]) throws {
        count = result.rowCount
        guard count > 0 else { columns = []; return }
        let names = result.columnNames
        guard names.count == types.count else {
            throw ArrowError.malformed(what: "a result of \(names.count) columns where the read has \(types.count)", offset: 0)
        }
        columns = try zip(names, types).map { name, type in
            switch type {
            case .text: .text(try result.strings(name))
            case .integer: .integer(try result.integers(name))
            case .real: .real(try result.doubles(name))
            }
        }
    }

    deinit { scratch.deallocate() }

    func int64(_ column: Int32) -> Int64 {
        switch columns[Int(column)] {
        case .integer(let values): values[index] ?? 0
        case .real(let values): Int64(values[index] ?? 0)
        case .text: 0
        }
    }

    func double(_ column: Int32) -> Double {
        switch columns[Int(column)] {
        case .integer(let values): Double(values[index] ?? 0)
        case .real(let values): values[index] ?? 0
        case .text: 0
        }
    }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    func isNull(_ column: Int32) -> Bool {
        switch columns[Int(column)] {
        case .integer(let values): values[index] == nil
        case .real(let values): values[index] == nil
        case .text(let values): values[index] == nil
        }
    }

    func string(_ column: Int32) -> String { optionalString(column) ?? "" }

    func optionalString(_ column: Int32) -> String? {
        guard case .text(let values) = columns[Int(column)] else { return nil }
        return values[index]
    }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        var text = string(column)
        return text.withUTF8 { utf8 in
            if utf8.count > scratch.count {
                scratch.deallocate()
                scratch = .allocate(capacity: utf8.count)
            }
            _ = UnsafeMutableBufferPointer(rebasing: scratch[..<utf8.count]).initialize(from: utf8)
            return UnsafeBufferPointer(rebasing: scratch[..<utf8.count])
        }
    }
}

extension SparkEventSource {
    /// What the impact figures read, aggregated in Spark: distinct members, first and last check-in per member,
    /// each thread's first message, each alert's first response and latest review.
    public func impactData(model: String, instruments: [String]) throws -> ImpactData {
        let operation = "reading what the impact figures count"
        return try withSession(operation, tables: Self.eventTables + ["group_attendee"]) { client in
            func rows(_ statement: String, _ arguments: [String: SparkLiteral] = [:]) async throws -> DecodedResult {
                try DecodedResult(try await client.sql(statement, arguments: arguments, label: operation))
            }
            let m = try await rows("SELECT member, role, gender, resource_setting, region, age_band, research_consent FROM member ORDER BY member")
            let ids = try m.strings("member"), roles = try m.strings("role"), genders = try m.strings("gender")
            let settings = try m.strings("resource_setting"), regions = try m.strings("region"), ages = try m.strings("age_band")
            let consents = try m.integers("research_consent")
            let members = (0..<m.rowCount).map { i in
                ImpactMember(member: ids[i] ?? "", role: roles[i] ?? "", gender: genders[i], resourceSetting: settings[i], region: regions[i],
                             ageBand: ages[i], consent: (consents[i] ?? 0) != 0)
            }
            let own = try await rows("""
                SELECT member FROM activity UNION SELECT member FROM checkin UNION SELECT member FROM skill UNION SELECT member FROM training
                UNION SELECT member FROM group_attendee UNION SELECT seeker FROM "match" UNION SELECT peer FROM "match" WHERE accepted = 1
                """)
            let ownMembers = Set(try own.strings(own.columnNames.first ?? "member").compactMap { $0 })
            let p = try await rows(#"SELECT seeker, peer FROM "match" WHERE accepted = 1 ORDER BY id"#)
            let pairs = zip(try p.strings("seeker"), try p.strings("peer")).map { ImpactData.MatchPair(seeker: $0 ?? "", peer: $1 ?? "") }
            let trained = try await rows("SELECT DISTINCT member FROM training WHERE completed = 1 ORDER BY member").strings("member").map { $0 ?? "" }
            // The latest crisis review of each message: reviews of a message and kind are keyed by time and role.
            let a = try await rows("""
                SELECT a.member, a.ts, r.first_response, v.positive, v.severity, v.message IS NOT NULL AS reviewed
                FROM alert a
                LEFT JOIN (SELECT alert, min(ts) AS first_response FROM response GROUP BY alert) r ON r.alert = a.id
                LEFT JOIN (SELECT message, max_by(positive, struct(ts, reviewer_role)) AS positive,
                                  max_by(severity, struct(ts, reviewer_role)) AS severity
                           FROM review WHERE kind = 'crisis' GROUP BY message) v ON v.message = a.message
                WHERE a.model = :model ORDER BY a.ts, a.id
                """, ["model": .string(model)])
            let alertMembers = try a.strings("member"), raised = try a.integers("ts"), first = try a.integers("first_response")
            let positives = try a.integers("positive"), severities = try a.strings("severity"), reviewed = try a.bools("reviewed")
            let alerts = try (0..<a.rowCount).map { i in
                CrisisAlertRecord(member: alertMembers[i] ?? "", raisedAt: raised[i] ?? 0, firstResponseAt: first[i], reviewed: reviewed[i] ?? false,
                                  positive: positives[i].map { $0 != 0 },
                                  severity: try severities[i].map { try Self.vocabulary($0, "review.severity", operation) as Severity })
            }
            var runs: [String: [ImpactData.CheckinRun]] = Dictionary(uniqueKeysWithValues: instruments.map { ($0, []) })
            if !instruments.isEmpty {
                // A member's check-ins of an instrument are keyed by time: the earliest and latest are unique.
                let c = try await rows("""
                    SELECT instrument, member, min_by(score, ts) AS first, max_by(score, ts) AS last, count(*) AS n FROM checkin
                    WHERE instrument IN (\(instruments.map(SparkSQL.string).joined(separator: ", "))) GROUP BY instrument, member ORDER BY instrument, member
                    """)
                let names = try c.strings("instrument"), who = try c.strings("member"), firsts = try c.doubles("first")
                let lasts = try c.doubles("last"), counts = try c.integers("n")
                for i in 0..<c.rowCount {
                    runs[names[i] ?? "", default: []].append(.init(member: who[i] ?? "", first: firsts[i] ?? 0, last: lasts[i] ?? 0, count: Int(counts[i] ?? 0)))
                }
            }
            let authors = Set(try await rows("SELECT DISTINCT member FROM message").strings("member").compactMap { $0 })
            let s = try await rows("""
                SELECT thread, member FROM (SELECT thread, member, row_number() OVER (PARTITION BY thread ORDER BY ts, id) AS k FROM message) t WHERE k = 1
                """)
            var starters: [String: String] = [:]
            for (thread, member) in zip(try s.strings("thread"), try s.strings("member")) { starters[thread ?? ""] = member ?? "" }
            let start = try await rows("SELECT min(t) AS t FROM (SELECT min(ts) AS t FROM message UNION ALL SELECT min(ts) FROM activity) s").integers("t").first ?? nil
            return ImpactData(members: members, ownEventMembers: ownMembers, acceptedMatches: pairs, completedTraining: trained, crisisAlerts: alerts,
                              checkinRuns: runs, messageAuthors: MessageAuthorsAndStarters(authorSet: authors, starters: starters),
                              dataEnd: try await Self.dataEnd(client, operation), dataStart: start)
        }
    }
}
