import Foundation
import Testing
@testable import PeerLensArrow

/// The bytes of a committed fixture (`Fixtures/<name>`).
func fixtureBytes(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
                           "missing fixture \(name)")
    return [UInt8](try Data(contentsOf: url))
}

/// The Fixtures folder in the source tree (for the opt-in rewrite of the encoder's committed output).
func sourceFixturesFolder(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures")
}

/// A JSON value of the expected-values files: null, a boolean, or text (numbers are written as text, exactly).
enum ExpectedValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case text(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else { self = .text(try container.decode(String.self)) }
    }
}

/// What pyarrow read from a stream (`<name>.json`, written by `generate/arrow_fixtures.py`).
struct ExpectedStream: Decodable {
    struct Field: Decodable {
        let name: String
        let nullable: Bool
        let type: String
        let unit: String?
        let timezone: String?
        let precision: Int?
        let scale: Int?
    }
    struct Batch: Decodable {
        let row_count: Int
        let columns: [[ExpectedValue]]
    }
    let schema: [Field]
    let batches: [Batch]

    static func load(_ name: String) throws -> ExpectedStream {
        try JSONDecoder().decode(ExpectedStream.self, from: Data(fixtureBytes(name)))
    }
}

/// The fixture JSON's type for `type` (type name, unit, time zone, precision, scale).
func expectedTypeFields(_ type: ArrowType) -> (String, String?, String?, Int?, Int?) {
    switch type {
    case .null: return ("null", nil, nil, nil, nil)
    case .int8: return ("int8", nil, nil, nil, nil)
    case .int16: return ("int16", nil, nil, nil, nil)
    case .int32: return ("int32", nil, nil, nil, nil)
    case .int64: return ("int64", nil, nil, nil, nil)
    case .float32: return ("float", nil, nil, nil, nil)
    case .float64: return ("double", nil, nil, nil, nil)
    case .utf8: return ("utf8", nil, nil, nil, nil)
    case .largeUtf8: return ("large_utf8", nil, nil, nil, nil)
    case .bool: return ("bool", nil, nil, nil, nil)
    case let .timestamp(unit, zone): return ("timestamp", unit.description, zone, nil, nil)
    case .date32: return ("date32", nil, nil, nil, nil)
    case .date64: return ("date64", nil, nil, nil, nil)
    case let .decimal128(precision, scale): return ("decimal128", nil, nil, precision, scale)
    }
}

/// Every difference between `stream` and what pyarrow read (empty when they agree). Floats compare by bit
/// pattern (any NaN equals any NaN), strings by their UTF-8 bytes (Swift's `==` would equate canonically
/// equivalent strings such as "é" and "e\u{301}"), integers and decimals exactly.
func differences(_ stream: ArrowStream, _ expected: ExpectedStream) -> [String] {
    var found: [String] = []
    if stream.schema.fields.count != expected.schema.count {
        return ["\(stream.schema.fields.count) fields, expected \(expected.schema.count)"]
    }
    for (field, want) in zip(stream.schema.fields, expected.schema) {
        let (type, unit, zone, precision, scale) = expectedTypeFields(field.type)
        if field.name != want.name || field.nullable != want.nullable || type != want.type || unit != want.unit
            || zone != want.timezone || precision != want.precision || scale != want.scale {
            found.append("field \(field.name): \(field.type) nullable \(field.nullable), expected \(want)")
        }
    }
    if stream.batches.count != expected.batches.count {
        return found + ["\(stream.batches.count) batches, expected \(expected.batches.count)"]
    }
    for (batchIndex, (batch, want)) in zip(stream.batches, expected.batches).enumerated() {
        if batch.rowCount != want.row_count { found.append("batch \(batchIndex): \(batch.rowCount) rows, expected \(want.row_count)") }
        for (columnIndex, (column, values)) in zip(batch.columns, want.columns).enumerated() {
            let field = stream.schema.fields[columnIndex]
            let actual = rendered(column, field.type)
            if actual.count != values.count {
                found.append("batch \(batchIndex) column \(field.name): \(actual.count) values, expected \(values.count)")
                continue
            }
            for (row, (got, wanted)) in zip(actual, values).enumerated() where !same(got, wanted, field.type) {
                found.append("batch \(batchIndex) column \(field.name) row \(row): \(got), expected \(wanted)")
            }
        }
    }
    return found
}

/// A column's values in the fixture JSON's encoding.
func rendered(_ column: ArrowColumn, _ type: ArrowType) -> [ExpectedValue] {
    func text<T>(_ values: [T?], _ show: (T) -> String) -> [ExpectedValue] { values.map { $0.map { .text(show($0)) } ?? .null } }
    switch column {
    case let .null(count): return Array(repeating: .null, count: count)
    case let .int8(v): return text(v) { String($0) }
    case let .int16(v): return text(v) { String($0) }
    case let .int32(v): return text(v) { String($0) }
    case let .int64(v): return text(v) { String($0) }
    case let .timestamp(v): return text(v) { String($0) }
    case let .date32(v): return text(v) { String($0) }
    case let .date64(v): return text(v) { String($0) }
    case let .float32(v): return text(v) { "f32:\($0.bitPattern)" }
    case let .float64(v): return text(v) { "f64:\($0.bitPattern)" }
    case let .string(v): return text(v) { $0 }
    case let .bool(v): return v.map { $0.map { .bool($0) } ?? .null }
    case let .decimal128(v):
        guard case let .decimal128(_, scale) = type else { return [] }
        return text(v) { $0.decimalString(scale: scale) }
    }
}

/// Whether a rendered value equals the fixture's value (floats: the fixture's text parsed, then compared by
/// bit pattern; strings: by UTF-8 bytes).
func same(_ got: ExpectedValue, _ wanted: ExpectedValue, _ type: ArrowType) -> Bool {
    switch (got, wanted, type) {
    case let (.text(g), .text(w), .float32):
        guard let parsed = Double(w), let bits = UInt32(g.dropFirst(4)) else { return false }
        let want = Float(parsed)
        return want.isNaN ? Float(bitPattern: bits).isNaN : want.bitPattern == bits
    case let (.text(g), .text(w), .float64):
        guard let want = Double(w), let bits = UInt64(g.dropFirst(4)) else { return false }
        return want.isNaN ? Double(bitPattern: bits).isNaN : want.bitPattern == bits
    case let (.text(g), .text(w), _):
        return Array(g.utf8) == Array(w.utf8)
    default:
        return got == wanted
    }
}

/// Whether two streams hold the same schema and values (floats by bit pattern, strings by UTF-8 bytes).
func identical(_ a: ArrowStream, _ b: ArrowStream) -> Bool {
    guard a.schema == b.schema, a.batches.count == b.batches.count else { return false }
    for (x, y) in zip(a.batches, b.batches) {
        guard x.rowCount == y.rowCount else { return false }
        for (index, (c, d)) in zip(x.columns, y.columns).enumerated() {
            let type = a.schema.fields[index].type
            let (left, right) = (rendered(c, type), rendered(d, type))
            guard left.count == right.count, zip(left, right).allSatisfy({ l, r in
                if case let .text(lt) = l, case let .text(rt) = r { return Array(lt.utf8) == Array(rt.utf8) }
                return l == r
            }) else { return false }
        }
    }
    return true
}
