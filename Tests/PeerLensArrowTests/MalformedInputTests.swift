import Foundation
import Testing
@testable import PeerLensArrow

/// Builders of hand-made (and deliberately wrong) streams.
enum Craft {
    /// The Schema message of `schema` (the encoder's, without its end-of-stream marker).
    static func schemaMessage(_ schema: ArrowSchema) throws -> [UInt8] {
        Array(try ArrowStream.encode(schema: schema, batches: []).dropLast(8))
    }

    /// A RecordBatch message with the given length, field nodes (length, null count), buffers (offset,
    /// length) and body, whatever their consistency.
    static func batchMessage(length: Int64, nodes: [(Int64, Int64)], buffers: [(Int64, Int64)], body: [UInt8],
                             extraFields: [FlatBufferBuilder.Value?] = []) -> [UInt8] {
        var nodeBytes: [UInt8] = []
        for (a, b) in nodes { appendLittleEndian(a, to: &nodeBytes); appendLittleEndian(b, to: &nodeBytes) }
        var bufferBytes: [UInt8] = []
        for (a, b) in buffers { appendLittleEndian(a, to: &bufferBytes); appendLittleEndian(b, to: &bufferBytes) }
        let header = FlatBufferBuilder.Table(fields: [
            .int64(length), .structs(bytes: nodeBytes, count: nodes.count), .structs(bytes: bufferBytes, count: buffers.count),
        ] + extraFields)
        var output: [UInt8] = []
        ArrowStream.appendMessage(to: &output, headerType: .recordBatch, header: header, body: body)
        return output
    }

    static let endOfStream: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]

    static let textSchema = ArrowSchema(fields: [ArrowField(name: "word", type: .utf8)])

    /// A one-column string batch with 2 rows: offsets `offsets`, data `data`, no nulls.
    static func textStream(offsets: [Int32], data: [UInt8], nullCount: Int64 = 0, validity: [UInt8] = []) throws -> [UInt8] {
        var offsetBytes: [UInt8] = []
        for offset in offsets { appendLittleEndian(offset, to: &offsetBytes) }
        var body = validity + [UInt8](repeating: 0, count: (8 - validity.count % 8) % 8)
        let offsetsAt = body.count
        body += offsetBytes + [UInt8](repeating: 0, count: (8 - offsetBytes.count % 8) % 8)
        let dataAt = body.count
        body += data + [UInt8](repeating: 0, count: (8 - data.count % 8) % 8)
        return try schemaMessage(textSchema) + batchMessage(
            length: Int64(offsets.count - 1), nodes: [(Int64(offsets.count - 1), nullCount)],
            buffers: [(0, Int64(validity.count)), (Int64(offsetsAt), Int64(offsetBytes.count)), (Int64(dataAt), Int64(data.count))],
            body: body) + endOfStream
    }
}

@Suite("ArrowStream.decode: malformed and truncated input fails with a typed error, never a trap")
struct MalformedInputTests {
    /// Where each message of `bytes` ends (the offsets at which a stream may stop without the marker).
    func messageBoundaries(_ bytes: [UInt8]) throws -> Set<Int> {
        var boundaries: Set<Int> = []
        var position = 0
        while true {
            let length = bytes[position + 4..<position + 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            if length == 0 { break }
            position += 8 + length + (try #require(try ArrowStream.bodyLength(ofMessageAt: position, in: bytes)))
            boundaries.insert(position)
        }
        return boundaries
    }

    @Test("Every prefix of a stream fails by default; when the marker is optional, a cut inside a message is `truncated` and one between messages reads the batches before it",
          arguments: ["strings.arrows", "all_types.arrows", "legacy_v4.arrows"])
    func everyPrefix(name: String) throws {
        let bytes = try fixtureBytes(name)
        let isLegacy = name.hasPrefix("legacy")
        let boundaries = isLegacy ? [] : try messageBoundaries(bytes)
        let full = try ArrowStream.decode(bytes, requireEndOfStream: false)
        var truncatedErrors = 0
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            #expect(throws: ArrowError.self, "prefix of \(cut) bytes with the marker required (the default)") {
                try ArrowStream.decode(prefix)
            }
            do {
                let partial = try ArrowStream.decode(prefix, requireEndOfStream: false)
                if !isLegacy { #expect(boundaries.contains(cut), "prefix of \(cut) bytes decoded") }
                #expect(partial.batches.count < full.batches.count || cut == bytes.count - 8 || isLegacy)
            } catch let error {
                if case .truncated = error { truncatedErrors += 1 }
                else { #expect(cut == 0, "prefix of \(cut) bytes: \(error)") }
            }
        }
        #expect(truncatedErrors == bytes.count - 1 - (isLegacy ? 2 : boundaries.count))
    }

    @Test("Seeded random corruption of a stream either decodes to consistent batches or throws ArrowError", arguments: [1, 2, 3])
    func randomCorruption(seed: UInt64) throws {
        let original = try fixtureBytes("all_types.arrows")
        var random = SplitMix64(seed: seed)
        var failures = 0
        for _ in 0..<700 {
            var bytes = original
            for _ in 0..<(1 + random.next() % 4) {
                let at = Int(random.next() % UInt64(bytes.count))
                bytes[at] = random.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: random.next())
            }
            do {
                let stream = try ArrowStream.decode(bytes)
                for batch in stream.batches {
                    #expect(batch.columns.count == stream.schema.fields.count)
                    #expect(batch.columns.allSatisfy { $0.count == batch.rowCount })
                }
                let again = try ArrowStream.decode(ArrowStream.encode(schema: stream.schema, batches: stream.batches))
                #expect(identical(again, stream))
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)  // the corruption does reach checked places
    }

    @Test("Empty input, lone markers and bytes after the end-of-stream marker")
    func framing() throws {
        #expect(throws: ArrowError.malformed(what: "the stream holds no schema message", offset: 0)) {
            try ArrowStream.decode([])
        }
        #expect(throws: ArrowError.malformed(what: "the stream holds no schema message", offset: 8)) {
            try ArrowStream.decode(Craft.endOfStream)
        }
        #expect(throws: ArrowError.truncated(what: "message length after the continuation marker", offset: 4, needed: 4, available: 2)) {
            try ArrowStream.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0x00])
        }
        #expect(throws: ArrowError.malformed(what: "this is an Arrow file (it starts with the ARROW1 magic), not an Arrow IPC stream", offset: 0)) {
            try ArrowStream.decode(Array("ARROW1\0\0".utf8) + [UInt8](repeating: 0, count: 64))
        }
        // A whole batch lost after the schema: the missing marker gives it away.
        let schemaOnly = try Craft.schemaMessage(Craft.textSchema)
        #expect(throws: ArrowError.truncated(what: "end-of-stream marker", offset: schemaOnly.count, needed: 8, available: 0)) {
            try ArrowStream.decode(schemaOnly)
        }
        #expect(try ArrowStream.decode(schemaOnly, requireEndOfStream: false).batches.isEmpty)
        let valid = try fixtureBytes("strings.arrows")
        #expect(throws: ArrowError.malformed(what: "3 bytes follow the end-of-stream marker", offset: valid.count)) {
            try ArrowStream.decode(valid + [1, 2, 3])
        }
        #expect(throws: ArrowError.malformed(what: "message 0 has metadata length -16", offset: 0)) {
            try ArrowStream.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: ArrowError.truncated(what: "metadata of message 0", offset: 8, needed: 0x7FFF_FFF0, available: 0)) {
            try ArrowStream.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xFF, 0xFF, 0x7F])
        }
    }

    @Test("Garbage metadata: root offset, vtable and field positions outside the flatbuffer")
    func garbageMetadata() throws {
        // 16 bytes of metadata whose root offset points past its end.
        let rootOutside: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 16, 0, 0, 0] + [200, 0, 0, 0] + [UInt8](repeating: 0, count: 12)
        #expect(throws: ArrowError.malformed(what: "message 0 metadata: Message lies outside the 16-byte metadata", offset: 208)) {
            try ArrowStream.decode(rootOutside)
        }
        // Root at 8, whose vtable offset sends the vtable before the metadata.
        let vtableOutside: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 16, 0, 0, 0] + [8, 0, 0, 0, 0, 0, 0, 0] + [0x00, 0x01, 0, 0, 0, 0, 0, 0]
        #expect(throws: ArrowError.self) { try ArrowStream.decode(vtableOutside) }
        // A vtable claiming a table larger than the metadata.
        let tableTooLarge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 16, 0, 0, 0] + [8, 0, 0, 0, 4, 0, 0xFF, 0x00] + [4, 0, 0, 0, 0, 0, 0, 0]
        #expect(throws: ArrowError.malformed(what: "message 0 metadata: Message table lies outside the 16-byte metadata", offset: 16)) {
            try ArrowStream.decode(tableTooLarge)
        }
    }

    @Test("Schemas with impossible types: a decimal scale of 100, a 24-bit integer, no type at all")
    func impossibleTypes() throws {
        typealias Table = FlatBufferBuilder.Table
        func schemaStream(typeID: UInt8, type: Table) -> [UInt8] {
            let field = Table(fields: [.string("x"), .bool(true), .uint8(typeID), .table(type), nil, .tables([])])
            var output: [UInt8] = []
            ArrowStream.appendMessage(to: &output, headerType: .schema, header: Table(fields: [nil, .tables([field])]), body: [])
            return output + Craft.endOfStream
        }
        #expect(throws: ArrowError.unsupportedType(column: "x", type: "decimal128(10, 100) (scales outside -38...38)")) {
            try ArrowStream.decode(schemaStream(typeID: 7, type: Table(fields: [.int32(10), .int32(100), .int32(128)])))
        }
        #expect(malformation { try ArrowStream.decode(schemaStream(typeID: 7, type: Table(fields: [.int32(0), .int32(0)]))) }
                == "column 'x' has decimal precision 0")
        #expect(malformation { try ArrowStream.decode(schemaStream(typeID: 2, type: Table(fields: [.int32(24), .bool(true)]))) }
                == "column 'x' has an integer width of 24 bits")
        #expect(malformation { try ArrowStream.decode(schemaStream(typeID: 0, type: Table(fields: []))) }
                == "column 'x' has no type")
        #expect(throws: ArrowError.unsupportedType(column: "x", type: "halffloat")) {
            try ArrowStream.decode(schemaStream(typeID: 3, type: Table(fields: [])))
        }
        // The defaults of absent type fields: Date means milliseconds, Timestamp seconds without a zone.
        #expect(try ArrowStream.decode(schemaStream(typeID: 8, type: Table(fields: []))).schema.fields[0].type == .date64)
        #expect(try ArrowStream.decode(schemaStream(typeID: 10, type: Table(fields: []))).schema.fields[0].type
                == .timestamp(unit: .second, timeZone: nil))
    }

    @Test("Messages out of order: a batch before the schema, a second schema, an old metadata version")
    func order() throws {
        let schema = try Craft.schemaMessage(Craft.textSchema)
        let batch = Craft.batchMessage(length: 0, nodes: [(0, 0)], buffers: [(0, 0), (0, 0), (0, 0)], body: [])
        #expect(throws: ArrowError.malformed(what: "message 0 is not a Schema (header type 3)", offset: 0)) {
            try ArrowStream.decode(batch + Craft.endOfStream)
        }
        #expect(throws: ArrowError.self) { try ArrowStream.decode(schema + schema + Craft.endOfStream) }
        #expect(try ArrowStream.decode(schema + batch + Craft.endOfStream).batches.count == 1)
        var old: [UInt8] = []
        let message = FlatBufferBuilder.Table(fields: [.int16(2), .uint8(1), .table(FlatBufferBuilder.Table(fields: [])), .int64(0)])
        let metadata = FlatBufferBuilder.serialize(message)
        appendLittleEndian(UInt32.max, to: &old)
        appendLittleEndian(Int32(metadata.count), to: &old)
        #expect(throws: ArrowError.unsupportedFeature("metadata version V3 in message 0 (V4 or V5 needed)")) {
            try ArrowStream.decode(old + metadata + Craft.endOfStream)
        }
    }

    /// What a `malformed` error thrown by `body` says (nil for no error or another kind).
    func malformation(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as ArrowError {
            if case let .malformed(what, _) = error { return what }
        } catch {}
        return nil
    }

    @Test("Record batch metadata that disagrees with the schema or the body")
    func batchMetadata() throws {
        let schema = try Craft.schemaMessage(ArrowSchema(fields: [ArrowField(name: "n", type: .int64)]))
        func decode(_ batch: [UInt8]) throws { _ = try ArrowStream.decode(schema + batch + Craft.endOfStream) }
        let body = [UInt8](repeating: 0, count: 16)
        // Buffer past the end of the body.
        #expect(throws: ArrowError.self) {
            try decode(Craft.batchMessage(length: 2, nodes: [(2, 0)], buffers: [(0, 0), (8, 16)], body: body))
        }
        // Negative buffer offset.
        #expect(throws: ArrowError.self) {
            try decode(Craft.batchMessage(length: 2, nodes: [(2, 0)], buffers: [(0, 0), (-8, 16)], body: body))
        }
        // Values buffer too short for the row count.
        #expect(malformation { try decode(Craft.batchMessage(length: 3, nodes: [(3, 0)], buffers: [(0, 0), (0, 16)], body: body)) }
                == "values buffer of column 'n' (record batch 0) has 16 bytes; 3 rows need 24")
        // Node length differs from the batch length; null count above the length; wrong counts.
        #expect(throws: ArrowError.self) {
            try decode(Craft.batchMessage(length: 2, nodes: [(1, 0)], buffers: [(0, 0), (0, 16)], body: body))
        }
        #expect(throws: ArrowError.self) {
            try decode(Craft.batchMessage(length: 2, nodes: [(2, 3)], buffers: [(0, 0), (0, 16)], body: body))
        }
        #expect(malformation { try decode(Craft.batchMessage(length: 2, nodes: [(2, 0), (2, 0)], buffers: [(0, 0), (0, 16)], body: body)) }
                == "record batch 0 has 2 field nodes for 1 columns")
        #expect(throws: ArrowError.self) {
            try decode(Craft.batchMessage(length: 2, nodes: [(2, 0)], buffers: [(0, 0)], body: body))
        }
        // A null count with no validity bitmap to say which rows.
        #expect(malformation { try decode(Craft.batchMessage(length: 2, nodes: [(2, 1)], buffers: [(0, 0), (0, 16)], body: body)) }
                == "validity buffer of column 'n' (record batch 0) has 0 bytes; 2 rows need 1")
        // A body length past the end of the input.
        var cut = Craft.batchMessage(length: 2, nodes: [(2, 0)], buffers: [(0, 0), (0, 16)], body: body)
        cut.removeLast(8)
        #expect(throws: ArrowError.self) { try ArrowStream.decode(schema + cut) }
        // A compressed body (BodyCompression table, codec ZSTD).
        let compressed = Craft.batchMessage(length: 2, nodes: [(2, 0)], buffers: [(0, 0), (0, 16)], body: body,
                                            extraFields: [.table(FlatBufferBuilder.Table(fields: [.uint8(1)]))])
        #expect(throws: ArrowError.unsupportedFeature("record batch 0 has a body compressed with ZSTD (write the stream uncompressed)")) {
            try decode(compressed)
        }
    }

    @Test("String columns: offsets going backwards or past the data, invalid UTF-8, a null count the bitmap denies")
    func stringContent() throws {
        #expect(try ArrowStream.decode(Craft.textStream(offsets: [0, 2, 5], data: Array("abcde".utf8))).string("word") == ["ab", "cde"])
        // Offsets need not start at 0 (a slice).
        #expect(try ArrowStream.decode(Craft.textStream(offsets: [1, 2, 5], data: Array("abcde".utf8))).string("word") == ["b", "cde"])
        #expect(throws: ArrowError.invalidColumnData(column: "word", batch: 0, row: 1,
                                                     reason: "string offsets decrease or pass the end of the 5-byte data buffer")) {
            try ArrowStream.decode(Craft.textStream(offsets: [0, 3, 2], data: Array("abcde".utf8)))
        }
        #expect(throws: ArrowError.invalidColumnData(column: "word", batch: 0, row: 1,
                                                     reason: "string offsets decrease or pass the end of the 5-byte data buffer")) {
            try ArrowStream.decode(Craft.textStream(offsets: [0, 3, 9], data: Array("abcde".utf8)))
        }
        #expect(throws: ArrowError.invalidColumnData(column: "word", batch: 0, row: 0,
                                                     reason: "the first string offset lies outside the 5-byte data buffer")) {
            try ArrowStream.decode(Craft.textStream(offsets: [-1, 3, 5], data: Array("abcde".utf8)))
        }
        #expect(throws: ArrowError.invalidColumnData(column: "word", batch: 0, row: 1, reason: "the string is not valid UTF-8")) {
            try ArrowStream.decode(Craft.textStream(offsets: [0, 2, 4], data: [0x61, 0x62, 0xC3, 0x28]))
        }
        // Row 1 null (bitmap 0b01): its bytes are not read, whatever they are.
        #expect(try ArrowStream.decode(Craft.textStream(offsets: [0, 2, 4], data: [0x61, 0x62, 0xC3, 0x28],
                                                        nullCount: 1, validity: [0b01])).string("word") == ["ab", nil])
        #expect(throws: ArrowError.invalidColumnData(column: "word", batch: 0, row: nil,
                                                     reason: "the null count is 1 but the validity bitmap has 0 nulls")) {
            try ArrowStream.decode(Craft.textStream(offsets: [0, 2, 4], data: Array("abcd".utf8), nullCount: 1, validity: [0b11]))
        }
    }
}
