extension ArrowStream {
    /// Encodes `batches` of `schema` as an Arrow IPC stream: a Schema message, one RecordBatch message per
    /// batch, the end-of-stream marker — the bytes Spark Connect takes as `LocalRelation.data`.
    ///
    /// Metadata version V5, little-endian, no compression; every message and buffer is padded to 8 bytes;
    /// a column without nulls gets an empty validity buffer, as Arrow's own writers do. The same input
    /// always gives the same bytes. Throws `ArrowError.invalidBatch` if a batch carries another schema or the
    /// schema fails `ArrowSchema.checkEncodable()`.
    public static func encode(schema: ArrowSchema, batches: [ArrowRecordBatch]) throws(ArrowError) -> [UInt8] {
        try schema.checkEncodable()
        if let index = batches.firstIndex(where: { $0.schema != schema }) {
            throw .invalidBatch("batch \(index) has another schema than the stream")
        }
        var output: [UInt8] = []
        appendMessage(to: &output, headerType: IPCStreamDecoder.HeaderType.schema, header: schemaTable(schema), body: [])
        for batch in batches {
            var body = BodyWriter()
            var nodes: [UInt8] = []
            for (field, column) in zip(schema.fields, batch.columns) {
                appendLittleEndian(Int64(column.count), to: &nodes)
                appendLittleEndian(Int64(column.nullCount), to: &nodes)
                body.append(column, type: field.type)
            }
            let header = FlatBufferBuilder.Table(fields: [
                .int64(Int64(batch.rowCount)),
                .structs(bytes: nodes, count: schema.fields.count),
                .structs(bytes: body.bufferDescriptions, count: body.bufferCount),
            ])
            appendMessage(to: &output, headerType: .recordBatch, header: header, body: body.bytes)
        }
        appendLittleEndian(UInt32.max, to: &output)  // end of stream: continuation marker, zero length
        appendLittleEndian(UInt32(0), to: &output)
        return output
    }

    /// One encapsulated message: continuation marker, metadata length, the `Message` flatbuffer padded so the
    /// body starts 8-byte aligned, then the body.
    static func appendMessage(to output: inout [UInt8], headerType: IPCStreamDecoder.HeaderType,
                                      header: FlatBufferBuilder.Table, body: [UInt8]) {
        let message = FlatBufferBuilder.Table(fields: [
            .int16(4),  // MetadataVersion V5
            .uint8(headerType.rawValue),
            .table(header),
            .int64(Int64(body.count)),
        ])
        let metadata = FlatBufferBuilder.serialize(message)  // a multiple of 8 bytes, so the body stays aligned
        appendLittleEndian(UInt32.max, to: &output)
        appendLittleEndian(Int32(metadata.count), to: &output)
        output.append(contentsOf: metadata)
        output.append(contentsOf: body)
    }

    /// A `Schema` table: endianness Little (the default, so absent), fields.
    private static func schemaTable(_ schema: ArrowSchema) -> FlatBufferBuilder.Table {
        FlatBufferBuilder.Table(fields: [nil, .tables(schema.fields.map(fieldTable))])
    }

    /// A `Field` table: name, nullable, type_type, type, no dictionary, no children (an empty vector, which
    /// Arrow C++ requires).
    private static func fieldTable(_ field: ArrowField) -> FlatBufferBuilder.Table {
        let (typeID, typeTable) = typeUnion(field.type)
        return FlatBufferBuilder.Table(fields: [
            .string(field.name), .bool(field.nullable), .uint8(typeID), .table(typeTable), nil, .tables([]),
        ])
    }

    /// The `Type` union id (Schema.fbs order, NONE = 0) and table of `type`.
    private static func typeUnion(_ type: ArrowType) -> (UInt8, FlatBufferBuilder.Table) {
        typealias Table = FlatBufferBuilder.Table
        func int(_ bits: Int32) -> (UInt8, Table) { (2, Table(fields: [.int32(bits), .bool(true)])) }
        switch type {
        case .null: return (1, Table(fields: []))
        case .int8: return int(8)
        case .int16: return int(16)
        case .int32: return int(32)
        case .int64: return int(64)
        case .float32: return (3, Table(fields: [.int16(1)]))
        case .float64: return (3, Table(fields: [.int16(2)]))
        case .utf8: return (5, Table(fields: []))
        case .bool: return (6, Table(fields: []))
        case let .decimal128(precision, scale):
            return (7, Table(fields: [.int32(Int32(precision)), .int32(Int32(scale)), .int32(128)]))
        case .date32: return (8, Table(fields: [.int16(0)]))
        case .date64: return (8, Table(fields: [.int16(1)]))
        case let .timestamp(unit, timeZone):
            return (10, Table(fields: [.int16(unit.rawValue), timeZone.map { .string($0) }]))
        case .largeUtf8: return (20, Table(fields: []))
        }
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to output: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
}

/// The body of one record batch: its buffers, each padded to 8 bytes, and their (offset, length) list.
struct BodyWriter {
    private(set) var bytes: [UInt8] = []
    /// `Buffer` structs (`int64` offset, `int64` length), little-endian.
    private(set) var bufferDescriptions: [UInt8] = []
    private(set) var bufferCount = 0

    /// Appends one buffer, padded to 8 bytes.
    private mutating func buffer(_ content: [UInt8]) {
        appendLittleEndian(Int64(bytes.count), to: &bufferDescriptions)
        appendLittleEndian(Int64(content.count), to: &bufferDescriptions)
        bufferCount += 1
        bytes.append(contentsOf: content)
        while bytes.count % 8 != 0 { bytes.append(0) }
    }

    /// The buffers of `column` (a column of `type`), in Arrow's order for its layout.
    mutating func append(_ column: ArrowColumn, type: ArrowType) {
        switch column {
        case .null: break
        case let .int8(values): fixedWidth(values) { $0 }
        case let .int16(values): fixedWidth(values) { $0 }
        case let .int32(values): fixedWidth(values) { $0 }
        case let .int64(values): fixedWidth(values) { $0 }
        case let .float32(values): fixedWidth(values) { $0.bitPattern }
        case let .float64(values): fixedWidth(values) { $0.bitPattern }
        case let .timestamp(values): fixedWidth(values) { $0 }
        case let .date32(values): fixedWidth(values) { $0 }
        case let .date64(values): fixedWidth(values) { $0 }
        case let .decimal128(values):
            validity(values)
            var data: [UInt8] = []
            data.reserveCapacity(16 * values.count)
            for value in values {
                appendLittleEndian(value?.low ?? 0, to: &data)
                appendLittleEndian(value?.high ?? 0, to: &data)
            }
            buffer(data)
        case let .bool(values):
            validity(values)
            buffer(bitmap(values.count) { values[$0] == true })
        case let .string(values):
            validity(values)
            if case .largeUtf8 = type { strings(values, offset: Int64.self) } else { strings(values, offset: Int32.self) }
        }
    }

    /// LSB-first bitmap of `count` bits, bit i set when `isSet(i)`.
    private func bitmap(_ count: Int, _ isSet: (Int) -> Bool) -> [UInt8] {
        var bits = [UInt8](repeating: 0, count: (count + 7) / 8)
        for index in 0..<count where isSet(index) { bits[index >> 3] |= 1 << UInt8(index & 7) }
        return bits
    }

    /// The validity buffer: empty when there is no null (Arrow's writers do the same).
    private mutating func validity<T>(_ values: [T?]) {
        if values.contains(where: { $0 == nil }) {
            buffer(bitmap(values.count) { values[$0] != nil })
        } else {
            buffer([])
        }
    }

    /// Validity, then values of a fixed width (nulls written as zero bytes).
    private mutating func fixedWidth<V, T: FixedWidthInteger>(_ values: [V?], _ bits: (V) -> T) {
        validity(values)
        var data: [UInt8] = []
        data.reserveCapacity(MemoryLayout<T>.size * values.count)
        for value in values { appendLittleEndian(value.map(bits) ?? 0, to: &data) }
        buffer(data)
    }

    /// Offsets (`count + 1` of type `Offset`, from 0) and the UTF-8 data; a null adds no bytes.
    private mutating func strings<Offset: FixedWidthInteger>(_ values: [String?], offset: Offset.Type) {
        var offsets: [UInt8] = []
        offsets.reserveCapacity(MemoryLayout<Offset>.size * (values.count + 1))
        var data: [UInt8] = []
        appendLittleEndian(Offset(0), to: &offsets)
        for value in values {
            if let value { data.append(contentsOf: value.utf8) }
            // The batch initialiser checked that utf8 data fits 32-bit offsets.
            appendLittleEndian(Offset(data.count), to: &offsets)
        }
        buffer(offsets)
        buffer(data)
    }
}
