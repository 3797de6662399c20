import Foundation
import Testing
@testable import PeerLensLog

@Suite("CSVRowReader: RFC 4180 byte by byte")
struct CSVRowReaderTests {
    /// Every row of `path` as (line, cells).
    func rows(_ path: String) throws -> [(line: Int, cells: [String])] {
        let reader = try CSVRowReader(path: path)
        var out: [(Int, [String])] = []
        while try reader.next() { out.append((reader.line, try #require(reader.strings()))) }
        return out
    }

    func file(_ bytes: [UInt8], name: String = "t.csv") throws -> String {
        let path = temporaryFile("", name: name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("Quoted cells hold commas, doubled quotes and line breaks; line numbers count the breaks inside them")
    func quoted() throws {
        let path = temporaryFile("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,2,3\n", name: "q.csv")
        let r = try rows(path)
        #expect(r.map(\.line) == [1, 2, 4])
        #expect(r[1].cells == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(r[2].cells == ["1", "2", "3"])
    }

    @Test("CRLF, lone CR and a missing final newline end rows; a byte-order mark is skipped")
    func lineEnds() throws {
        let path = try file([0xEF, 0xBB, 0xBF] + Array("h1,h2\r\n1,2\r3,4\r\n\"a\r\nb\",5".utf8))
        let r = try rows(path)
        #expect(r.map(\.cells) == [["h1", "h2"], ["1", "2"], ["3", "4"], ["a\r\nb", "5"]])
        #expect(r.map(\.line) == [1, 2, 3, 4])
    }

    @Test("Blank lines are rows of one empty cell; a quoted empty cell is not blank")
    func blank() throws {
        let reader = try CSVRowReader(path: temporaryFile("a\n\n\"\"\n", name: "b.csv"))
        var blanks: [Bool] = []
        while try reader.next() { blanks.append(reader.isBlank) }
        #expect(blanks == [false, true, false])
    }

    @Test("A quote inside an unquoted cell is an ordinary byte")
    func strayQuote() throws {
        #expect(try rows(temporaryFile("a,b\nx\"y,2\n", name: "s.csv"))[1].cells == ["x\"y", "2"])
    }

    @Test("A quoted cell never closed is a file-level error at the line where it opens")
    func unclosed() throws {
        let reader = try CSVRowReader(path: temporaryFile("a,b\n1,2\n3,\"open\nmore\n", name: "u.csv"))
        #expect(try reader.next() && reader.next())
        let error = try #require(throws: LogReadError.self) { _ = try reader.next() }
        #expect(error.line == 3 && error.description.contains("never closed"))
    }

    @Test("Numbers are read in place: spaces around them allowed, anything else after them refused",
          arguments: [(" 0.25 ", 0.25), ("1e-3", 0.001), ("-2", -2.0), ("\t7\t", 7.0)])
    func numbers(text: String, value: Double) throws {
        let reader = try CSVRowReader(path: temporaryFile("\(text),x\n", name: "n.csv"))
        #expect(try reader.next())
        #expect(reader.double(0) == value)
        #expect(reader.double(1) == nil)
    }

    @Test("Not numbers", arguments: ["", "0.5x", "1,5", " ", "0x"])
    func notNumbers(text: String) throws {
        let reader = try CSVRowReader(path: temporaryFile("\"\(text)\"\n", name: "nn.csv"))
        #expect(try reader.next())
        #expect(reader.double(0) == nil)
    }

    @Test("Cells compare with text, trimmed, optionally without ASCII case")
    func equals() throws {
        let reader = try CSVRowReader(path: temporaryFile(" Yes ,no\n", name: "e.csv"))
        #expect(try reader.next())
        #expect(reader.cell(0, equals: "yes", caseInsensitive: true) && !reader.cell(0, equals: "yes"))
        #expect(reader.cell(0, equals: "Yes") && !reader.cell(1, equals: "n") && !reader.cell(1, equals: "nor"))
    }

    @Test("A cell that is not UTF-8 gives no string; the log reader rejects that row and reads on")
    func invalidUTF8() throws {
        let path = try file(Array("ts,member,duration_s\n2026-01-05T10:30:00Z,m".utf8) + [0xFF] + Array(",5\n2026-01-05T10:31:00Z,m2,6\n".utf8),
                            name: "activity.csv")
        let results = try readAll(path)
        #expect(results.map(\.line) == [2, 3])
        if case let .failure(r) = results[0].result { #expect(r.message.contains("UTF-8")) } else { Issue.record("invalid UTF-8 accepted") }
        #expect((try? results[1].result.get()) != nil)
    }

    @Test("Rows longer than the 1 MiB read chunk and rows across chunk boundaries are read whole")
    func chunkBoundaries() throws {
        let long = String(repeating: "z", count: 3 << 20)
        let row = "0.123456,1\n"
        let count = (2 << 20) / row.utf8.count
        let path = temporaryFile("s,l\n\"\(long)\",0\n" + String(repeating: row, count: count), name: "c.csv")
        let reader = try CSVRowReader(path: path)
        #expect(try reader.next() && reader.next())
        #expect(reader.withCell(0) { $0.count } == long.utf8.count)
        var n = 0
        while try reader.next() {
            #expect(reader.double(0) == 0.123456 && reader.cell(1, equals: "1"))
            n += 1
        }
        #expect(n == count)
    }

    @Test("Plain decimals read by the fast path give strtod's double, bit for bit")
    func fastDecimalsAgreeWithStrtod() throws {
        var random = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "5.", ".5", "-.25", "+3.5", "000123.4500", "999999999999999", "0.000000000000001",
                     "123456789012345.6", "1e5", "0x1p3", "inf", "9007199254740993"]
        for _ in 0..<5_000 {
            let digits = Int.random(in: 1...17, using: &random)
            var text = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            let point = Int.random(in: 0...digits, using: &random)
            text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            if Bool.random(using: &random) { text = "-" + text }
            texts.append(text)
        }
        let path = temporaryFile(texts.joined(separator: "\n") + "\n", name: "d.csv")
        let reader = try CSVRowReader(path: path)
        for text in texts {
            #expect(try reader.next())
            let expected: Double? = text.withCString { c in
                var stop: UnsafeMutablePointer<CChar>?
                let v = strtod(c, &stop)
                return stop.map { $0 - UnsafeMutablePointer(mutating: c) } == text.utf8.count ? v : nil
            }
            let got = reader.double(0)
            #expect(got?.bitPattern == expected?.bitPattern, "\(text)")
        }
    }

    @Test("Flags: 1/0, true/false, yes/no in any ASCII case; anything else is not a flag",
          arguments: [("1", true), (" TRUE ", true), ("Yes", true), ("0", false), ("false", false), ("NO", false)])
    func flags(text: String, value: Bool) throws {
        let reader = try CSVRowReader(path: temporaryFile("\(text),2,yess,\n", name: "f.csv"))
        #expect(try reader.next())
        #expect(reader.flag(0) == value)
        #expect(reader.flag(1) == nil && reader.flag(2) == nil && reader.flag(3) == nil)
    }
}
