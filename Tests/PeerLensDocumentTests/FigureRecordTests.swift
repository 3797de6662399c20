import Foundation
import Testing
@testable import PeerLensDocument

/// Top-level JSON records (`combined` of `peerlens outcomes`) under the disclosure policy.
@Suite("Figure records: published as top-level JSON objects, under the disclosure policy")
struct FigureRecordTests {
    static func share(_ count: Int, _ total: Int) -> FigureValue {
        .share(ShareFigure(count: count, total: total, estimate: Double(count) / Double(total), interval: .init(lower: 0.1, upper: 0.9, level: 0.95)))
    }

    static func record(members: Int, atCaseness: Int, recovered: Int, improved: Int) -> FigureRecord {
        FigureRecord(key: "combined", fields: [
            FigureField("definition", .text("nhs_talking_therapies")), FigureField("pair_within_days", .setting(7)),
            FigureField("members", .count(members)), FigureField("at_caseness", .part(atCaseness, of: "members")),
            FigureField("recovery", share(recovered, atCaseness)), FigureField("reliable_improvement", share(improved, members)),
        ])
    }

    static func json(_ r: FigureRecord, policy: DisclosurePolicy = .standard) throws -> [String: Any] {
        var d = ReportDocument(title: "T", command: "test", provenance: provenance(k: policy.threshold), disclosure: policy, sections: [], records: [r])
        d.disclosure = policy
        let text = try ReportRenderer.render(d, format: .json)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        return object["combined"] as! [String: Any]
    }

    @Test("Large counts are published as they are, in the share shape")
    func published() throws {
        let c = try Self.json(Self.record(members: 120, atCaseness: 100, recovered: 40, improved: 50))
        #expect(c["definition"] as? String == "nhs_talking_therapies" && (c["members"] as? Int) == 120 && (c["at_caseness"] as? Int) == 100)
        let recovery = c["recovery"] as! [String: Any]
        #expect((recovery["count"] as? Int) == 40 && (recovery["total"] as? Int) == 100 && (recovery["suppressed"] as? Bool) == false)
        #expect(((recovery["interval"] as? [String: Any])?["level"] as? Double) == 0.95)
    }

    @Test("A small numerator or complement withholds the share; every key stays, null")
    func smallShare() throws {
        let c = try Self.json(Self.record(members: 120, atCaseness: 100, recovered: 7, improved: 115))
        for key in ["recovery", "reliable_improvement"] {
            let s = c[key] as! [String: Any]
            #expect((s["suppressed"] as? Bool) == true && s["count"] is NSNull && s["total"] is NSNull && s["estimate"] is NSNull && s["interval"] is NSNull)
        }
    }

    @Test("A part whose complement is small is withheld, and so is every share over it")
    func partComplement() throws {
        let c = try Self.json(Self.record(members: 104, atCaseness: 100, recovered: 40, improved: 50))
        #expect(c["at_caseness"] is NSNull && (c["members"] as? Int) == 104)
        #expect(((c["recovery"] as! [String: Any])["suppressed"] as? Bool) == true)
        #expect(((c["reliable_improvement"] as! [String: Any])["suppressed"] as? Bool) == false)
    }

    @Test("Rounding applies to published counts; other formats do not print records")
    func rounding() throws {
        let policy = try DisclosurePolicy(roundingBase: 5)
        let c = try Self.json(Self.record(members: 123, atCaseness: 101, recovered: 41, improved: 52), policy: policy)
        #expect((c["members"] as? Int) == 125 && (c["at_caseness"] as? Int) == 100)
        let d = ReportDocument(title: "T", command: "test", provenance: provenance(), disclosure: .standard, sections: [],
                               records: [Self.record(members: 123, atCaseness: 101, recovered: 41, improved: 52)])
        #expect(!(try ReportRenderer.render(d, format: .text)).contains("nhs_talking_therapies"))
    }
}
