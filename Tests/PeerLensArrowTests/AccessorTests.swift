import Testing
@testable import PeerLensArrow

@Suite("Typed column look-ups by name, conversions and decimals")
struct AccessorTests {
    @Test("A stream's look-ups concatenate the column over every batch")
    func concatenation() throws {
        let stream = try ArrowStream.decode(fixtureBytes("all_types.arrows"))
        let ids = try stream.int64("id")
        let expected: [Int64?] = Array(0..<11) + Array(200..<217) + Array(300..<303)
        #expect(ids == expected)
        #expect(try stream.string("s").count == 31)
        #expect(try stream.column("nothing") == .null(count: 31))
        #expect(try stream.integers("i8").count == 31)
    }

    @Test("Wrong names and wrong types throw errors that name the column and both types")
    func errors() throws {
        let batch = try ArrowStream.decode(fixtureBytes("all_types.arrows")).batches[0]
        #expect(throws: ArrowError.columnNotFound("missing")) { try batch.int64("missing") }
        #expect(throws: ArrowError.typeMismatch(column: "s", requested: "int64", actual: "string")) { try batch.int64("s") }
        #expect(throws: ArrowError.typeMismatch(column: "i32", requested: "double", actual: "int32")) { try batch.double("i32") }
        #expect(throws: ArrowError.typeMismatch(column: "f64", requested: "a signed integer", actual: "double")) { try batch.integers("f64") }
        #expect(throws: ArrowError.typeMismatch(column: "d32", requested: "timestamp", actual: "date32[day]")) {
            try batch.timestampMicroseconds("d32")
        }
        #expect(throws: ArrowError.typeMismatch(column: "ls", requested: "decimal128", actual: "large_string")) {
            try batch.decimalStrings("ls")
        }
        let twice = ArrowSchema(fields: [ArrowField(name: "n", type: .int64), ArrowField(name: "n", type: .int64)])
        let ambiguous = try ArrowRecordBatch(schema: twice, rowCount: 1, columns: [.int64([1]), .int64([2])])
        #expect(throws: ArrowError.ambiguousColumn("n")) { try ambiguous.int64("n") }
        #expect(ambiguous.columns[1] == .int64([2]))
    }

    @Test("Errors never carry a row's value")
    func errorsWithoutValues() {
        let error = ArrowError.invalidColumnData(column: "word", batch: 2, row: 7, reason: "the string is not valid UTF-8")
        #expect(error.description == "invalid Arrow data in column 'word' (batch 2, row 7): the string is not valid UTF-8")
    }

    @Test("Integers of every width widen exactly to Int64")
    func widening() throws {
        let batch = try ArrowStream.decode(fixtureBytes("all_types.arrows")).batches[0]
        #expect(try batch.integers("i8").prefix(3) == [-128, 127, nil])
        #expect(try batch.integers("i16").prefix(2) == [-32768, 32767])
        #expect(try batch.integers("i32").prefix(2) == [Int64(Int32.min), Int64(Int32.max)])
        #expect(try batch.integers("i64") == (try batch.int64("i64")))
    }

    @Test("Timestamps of every unit as microseconds: exact multiples, nanoseconds floored")
    func microseconds() throws {
        let batch = try ArrowStream.decode(fixtureBytes("all_types.arrows")).batches[0]
        #expect(try batch.timestampMicroseconds("ts_s").prefix(5) == [0, -1_000_000, 1_000_000, nil, 1_700_000_000_000_000])
        #expect(try batch.timestampMicroseconds("ts_ms").prefix(4) == [0, -1000, nil, 1_700_000_000_123_000])
        #expect(try batch.timestampMicroseconds("ts_us") == (try batch.timestamps("ts_us").values))
        // 0, -1, -999, -1000, -1001, -1500, 1500 ns → floor to µs.
        #expect(try batch.timestampMicroseconds("ts_ns").prefix(7) == [0, -1, -1, -1, -2, -2, 1])
        let (_, unit, zone) = try batch.timestamps("ts_ns")
        #expect(unit == .nanosecond && zone == "+07:30")
        let schema = ArrowSchema(fields: [ArrowField(name: "when", type: .timestamp(unit: .second, timeZone: nil))])
        let far = try ArrowRecordBatch(schema: schema, rowCount: 2, columns: [.timestamp([1, Int64.max / 1000])])
        #expect(throws: ArrowError.valueOutOfRange(column: "when", row: 1, reason: "the timestamp in s overflows 64-bit microseconds")) {
            try far.timestampMicroseconds("when")
        }
    }

    @Test("Decimal text and doubles", arguments: [
        (ArrowDecimal128(150), 2, "1.50"),
        (ArrowDecimal128(-5), 2, "-0.05"),
        (ArrowDecimal128(0), 3, "0.000"),
        (ArrowDecimal128(123), -2, "12300"),
        (ArrowDecimal128(0), -2, "0"),
        (ArrowDecimal128(42), 0, "42"),
        (ArrowDecimal128(high: Int64.min, low: 0), 0, "-170141183460469231731687303715884105728"),
        (ArrowDecimal128(high: Int64.max, low: UInt64.max), 0, "170141183460469231731687303715884105727"),
        (ArrowDecimal128(high: Int64.min, low: 0), 40, "-0.0170141183460469231731687303715884105728"),
        (ArrowDecimal128(high: 1, low: 0), 19, "1.8446744073709551616"),
        (ArrowDecimal128(high: -1, low: 0), 0, "-18446744073709551616"),
    ])
    func decimalText(value: ArrowDecimal128, scale: Int, text: String) {
        #expect(value.decimalString(scale: scale) == text)
        #expect(value.doubleValue(scale: scale) == Double(text))
    }

    @Test("Decimal precision: 10^p − 1 fits p digits, 10^p does not")
    func decimalPrecision() {
        #expect(!ArrowDecimal128(999).exceeds(precision: 3))
        #expect(ArrowDecimal128(1000).exceeds(precision: 3))
        #expect(ArrowDecimal128(-1000).exceeds(precision: 3))
        // 10^38 − 1 = 0x4B3B4CA85A86C47A098A223FFFFFFFFF fits 38 digits; 10^38 does not.
        let max38 = ArrowDecimal128(high: 0x4B3B_4CA8_5A86_C47A, low: 0x098A_223F_FFFF_FFFF)
        #expect(!max38.exceeds(precision: 38))
        #expect(ArrowDecimal128(high: 0x4B3B_4CA8_5A86_C47A, low: 0x098A_2240_0000_0000).exceeds(precision: 38))
        #expect(max38.decimalString(scale: 0) == String(repeating: "9", count: 38))
    }

    @Test("Type names match Arrow's own")
    func typeNames() {
        #expect(ArrowType.timestamp(unit: .microsecond, timeZone: "UTC").description == "timestamp[us, tz=UTC]")
        #expect(ArrowType.timestamp(unit: .nanosecond, timeZone: nil).description == "timestamp[ns]")
        #expect(ArrowType.decimal128(precision: 38, scale: 18).description == "decimal128(38, 18)")
        #expect(ArrowType.largeUtf8.description == "large_string")
    }
}
