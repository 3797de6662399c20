/// Reads an Arrow IPC stream (arrow.apache.org/docs/format/Columnar.html, "Serialization and Interprocess
/// Communication"): a sequence of encapsulated messages — `0xFFFFFFFF` continuation marker, `int32` metadata
/// length, a flatbuffer `Message`, padding, then the message body — ending with the end-of-stream marker
/// `0xFFFFFFFF 0x00000000`. Streams from writers older than Arrow 0.15 omit the continuation marker (the
/// "legacy" framing); both are read. The first message is the Schema; every later one a RecordBatch.
struct IPCStreamDecoder {
    let bytes: [UInt8]
    let requireEndOfStream: Bool
    private var position = 0
    private var messageIndex = 0

    init(bytes: [UInt8], requireEndOfStream: Bool) {
        self.bytes = bytes
        self.requireEndOfStream = requireEndOfStream
    }

    /// Message header types of `MessageHeader` in Message.fbs.
    enum HeaderType: UInt8 {
        case schema = 1, dictionaryBatch = 2, recordBatch = 3, tensor = 4, sparseTensor = 5
    }

    struct Message {
        let index: Int
        let headerType: UInt8
        let header: FlatBufferTable
        /// Absolute position of the body in the input.
        let bodyStart: Int
        let bodyLength: Int
    }

    mutating func decode() throws(ArrowError) -> ArrowStream {
        if bytes.starts(with: Array("ARROW1".utf8)) {
            throw .malformed(what: "this is an Arrow file (it starts with the ARROW1 magic), not an Arrow IPC stream", offset: 0)
        }
        if bytes.isEmpty {
            throw .malformed(what: "the stream holds no schema message", offset: 0)
        }
        guard let first = try nextMessage() else {
            throw .malformed(what: "the stream holds no schema message", offset: position)
        }
        guard first.headerType == HeaderType.schema.rawValue else {
            throw .malformed(what: "message 0 is not a Schema (header type \(first.headerType))", offset: 0)
        }
        let schema = try Self.schema(from: first.header, message: 0)
        var batches: [ArrowRecordBatch] = []
        while let message = try nextMessage() {
            switch HeaderType(rawValue: message.headerType) {
            case .recordBatch:
                batches.append(try recordBatch(message, schema: schema, batchIndex: batches.count))
            case .schema:
                throw .malformed(what: "message \(message.index) is a second Schema", offset: message.header.position)
            case .dictionaryBatch:
                throw .unsupportedFeature("dictionary batch in message \(message.index) (dictionary encoding is not supported)")
            case .tensor, .sparseTensor:
                throw .unsupportedFeature("tensor message \(message.index)")
            case nil:
                throw .malformed(what: "message \(message.index) has unknown header type \(message.headerType)",
                                 offset: message.header.position)
            }
        }
        return ArrowStream(uncheckedSchema: schema, batches: batches)
    }

    /// The next message, or nil at the end-of-stream marker (or, unless `requireEndOfStream`, at the end of
    /// the input on a message boundary).
    private mutating func nextMessage() throws(ArrowError) -> Message? {
        let messageStart = position
        if position == bytes.count {
            if requireEndOfStream {
                throw .truncated(what: "end-of-stream marker", offset: position, needed: 8, available: 0)
            }
            return nil
        }
        var length = try readInt32(at: position, "message length")
        var prefix = 4
        if length == -1 {  // the continuation marker 0xFFFFFFFF; the length follows
            length = try readInt32(at: position + 4, "message length after the continuation marker")
            prefix = 8
        }
        position += prefix
        if length == 0 {
            guard position == bytes.count else {
                throw .malformed(what: "\(bytes.count - position) bytes follow the end-of-stream marker", offset: position)
            }
            return nil
        }
        guard length > 0 else {
            throw .malformed(what: "message \(messageIndex) has metadata length \(length)", offset: messageStart)
        }
        let metadataLength = Int(length)
        try requireInput(position, metadataLength, "metadata of message \(messageIndex)")
        let reader = FlatBufferReader(bytes: bytes, start: position, end: position + metadataLength,
                                      context: "message \(messageIndex) metadata")
        let message = try reader.root("Message")
        // Message: version (0), header_type (1), header (2), bodyLength (3), custom_metadata (4).
        let version: Int16 = try message.scalar(0, "version", default: 0)
        guard version >= 3 else {  // MetadataVersion V4 = 3, V5 = 4
            throw .unsupportedFeature("metadata version V\(version + 1) in message \(messageIndex) (V4 or V5 needed)")
        }
        let headerType: UInt8 = try message.scalar(1, "header_type", default: 0)
        guard let header = try message.table(2, "header") else {
            throw .malformed(what: "message \(messageIndex) has no header", offset: position)
        }
        let bodyLength: Int64 = try message.scalar(3, "bodyLength", default: 0)
        guard bodyLength >= 0, bodyLength <= Int64(Int.max) else {
            throw .malformed(what: "message \(messageIndex) has body length \(bodyLength)", offset: position)
        }
        position += metadataLength
        try requireInput(position, Int(bodyLength), "body of message \(messageIndex)")
        let result = Message(index: messageIndex, headerType: headerType, header: header,
                             bodyStart: position, bodyLength: Int(bodyLength))
        position += Int(bodyLength)
        messageIndex += 1
        return result
    }

    private func requireInput(_ at: Int, _ size: Int, _ what: String) throws(ArrowError) {
        guard size <= bytes.count - at else {
            throw .truncated(what: what, offset: at, needed: size, available: bytes.count - at)
        }
    }

    private func readInt32(at: Int, _ what: String) throws(ArrowError) -> Int32 {
        try requireInput(at, 4, what)
        return bytes.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: Int32.self)) }
    }

    // MARK: Schema

    /// The schema of a `Schema` table: endianness (0), fields (1), custom_metadata (2), features (3).
    static func schema(from table: FlatBufferTable, message: Int) throws(ArrowError) -> ArrowSchema {
        let endianness: Int16 = try table.scalar(0, "endianness", default: 0)
        guard endianness == 0 else { throw .unsupportedFeature("big-endian data (message \(message))") }
        var fields: [ArrowField] = []
        for field in try table.tables(1, "fields") {
            fields.append(try Self.field(from: field))
        }
        return ArrowSchema(fields: fields)
    }

    /// A `Field` table: name (0), nullable (1), type_type (2), type (3), dictionary (4), children (5),
    /// custom_metadata (6).
    static func field(from table: FlatBufferTable) throws(ArrowError) -> ArrowField {
        let name = try table.string(0, "field name") ?? ""
        let nullable = try table.bool(1, "nullable", default: false)
        let typeID: UInt8 = try table.scalar(2, "type_type", default: 0)
        let typeTable = try table.table(3, "type of '\(name)'")
        if try table.table(4, "dictionary of '\(name)'") != nil {
            throw .unsupportedFeature("column '\(name)' is dictionary-encoded")
        }
        let type = try Self.type(id: typeID, table: typeTable, column: name, position: table.position)
        if let children = try table.vector(5, "children of '\(name)'", elementSize: 4), children.count > 0 {
            throw .malformed(what: "column '\(name)' of type \(type) has \(children.count) child fields",
                             offset: table.position)
        }
        return ArrowField(name: name, type: type, nullable: nullable)
    }

    /// Names of the `Type` union members this reader refuses, by id (Schema.fbs order).
    static let unsupportedTypeNames: [UInt8: String] = [
        4: "binary", 9: "time", 11: "interval", 12: "list", 13: "struct", 14: "union", 15: "fixed_size_binary",
        16: "fixed_size_list", 17: "map", 18: "duration", 19: "large_binary", 21: "large_list", 22: "run_end_encoded",
        23: "binary_view", 24: "string_view", 25: "list_view", 26: "large_list_view",
    ]

    /// The `Type` union member `id` (Schema.fbs order, NONE = 0) with its table.
    static func type(id: UInt8, table: FlatBufferTable?, column: String, position: Int) throws(ArrowError) -> ArrowType {
        /// A scalar of the type table, or its default when the table or the field is absent.
        func value<T: FixedWidthInteger>(_ field: Int, _ name: String, _ defaultValue: T) throws(ArrowError) -> T {
            try table?.scalar(field, name, default: defaultValue) ?? defaultValue
        }
        switch id {
        case 0:
            throw .malformed(what: "column '\(column)' has no type", offset: position)
        case 1:
            return .null
        case 2:  // Int: bitWidth (0), is_signed (1)
            let bitWidth: Int32 = try value(0, "bitWidth", 0)
            let signed: UInt8 = try value(1, "is_signed", 0)
            guard signed != 0 else {
                throw .unsupportedType(column: column, type: "uint\(bitWidth)")
            }
            switch bitWidth {
            case 8: return .int8
            case 16: return .int16
            case 32: return .int32
            case 64: return .int64
            default: throw .malformed(what: "column '\(column)' has an integer width of \(bitWidth) bits", offset: position)
            }
        case 3:  // FloatingPoint: precision (0): HALF, SINGLE, DOUBLE
            switch try value(0, "precision", Int16(0)) {
            case 0: throw .unsupportedType(column: column, type: "halffloat")
            case 1: return .float32
            case 2: return .float64
            case let other: throw .malformed(what: "column '\(column)' has floating-point precision \(other)", offset: position)
            }
        case 5: return .utf8
        case 6: return .bool
        case 7:  // Decimal: precision (0), scale (1), bitWidth (2, default 128)
            let precision: Int32 = try value(0, "precision", 0)
            let scale: Int32 = try value(1, "scale", 0)
            let bitWidth: Int32 = try value(2, "bitWidth", 128)
            guard bitWidth == 128 else { throw .unsupportedType(column: column, type: "decimal\(bitWidth)") }
            guard (1...38).contains(precision) else {
                throw .malformed(what: "column '\(column)' has decimal precision \(precision)", offset: position)
            }
            // Arrow allows a scale beyond the precision; one beyond ±38 has no use and would make every value
            // print as tens of thousands of zeros.
            guard (-38...38).contains(scale) else {
                throw .unsupportedType(column: column, type: "decimal128(\(precision), \(scale)) (scales outside -38...38)")
            }
            return .decimal128(precision: Int(precision), scale: Int(scale))
        case 8:  // Date: unit (0): DAY, MILLISECOND (default)
            switch try value(0, "unit", Int16(1)) {
            case 0: return .date32
            case 1: return .date64
            case let other: throw .malformed(what: "column '\(column)' has date unit \(other)", offset: position)
            }
        case 10:  // Timestamp: unit (0, default SECOND), timezone (1)
            let rawUnit = try value(0, "unit", Int16(0))
            guard let unit = ArrowTimeUnit(rawValue: rawUnit) else {
                throw .malformed(what: "column '\(column)' has timestamp unit \(rawUnit)", offset: position)
            }
            // Absent or empty: time-zone naive (Schema.fbs).
            let zone = try table?.string(1, "timezone of '\(column)'")
            return .timestamp(unit: unit, timeZone: zone?.isEmpty == false ? zone : nil)
        case 20: return .largeUtf8
        default: throw .unsupportedType(column: column, type: unsupportedTypeNames[id] ?? "unknown type id \(id)")
        }
    }

    /// How many buffers a column of `type` has in a record batch (Columnar.html, "Buffer Listing for Each
    /// Layout"): none for null; validity and values for fixed-width types and bool; validity, offsets and
    /// data for strings.
    static func bufferCount(_ type: ArrowType) -> Int {
        switch type {
        case .null: return 0
        case .utf8, .largeUtf8: return 3
        default: return 2
        }
    }

    // MARK: Record batches

    /// One buffer of a record batch: where its bytes are in the input.
    struct BufferSpan {
        let start: Int
        let length: Int
    }

    /// A `RecordBatch` table: length (0), nodes (1), buffers (2), compression (3), variadicBufferCounts (4).
    private func recordBatch(_ message: Message, schema: ArrowSchema, batchIndex: Int) throws(ArrowError) -> ArrowRecordBatch {
        let table = message.header
        let at = table.position
        let length: Int64 = try table.scalar(0, "length", default: 0)
        guard length >= 0, length <= Int64(Int.max / 2) else {  // keeps `length + 7` and the like from overflowing
            throw .malformed(what: "record batch \(batchIndex) has length \(length)", offset: at)
        }
        let rowCount = Int(length)
        if let compression = try table.table(3, "compression") {
            let codec: Int8 = try compression.scalar(0, "codec", default: 0)
            let name = codec == 0 ? "LZ4_FRAME" : codec == 1 ? "ZSTD" : "codec \(codec)"
            throw .unsupportedFeature("record batch \(batchIndex) has a body compressed with \(name) (write the stream uncompressed)")
        }
        let nodes = try table.vector(1, "nodes", elementSize: 16) ?? (first: at, count: 0)
        let buffers = try table.vector(2, "buffers", elementSize: 16) ?? (first: at, count: 0)
        guard nodes.count == schema.fields.count else {
            throw .malformed(what: "record batch \(batchIndex) has \(nodes.count) field nodes for \(schema.fields.count) columns", offset: at)
        }
        let expectedBuffers = schema.fields.reduce(0) { $0 + Self.bufferCount($1.type) }
        guard buffers.count == expectedBuffers else {
            throw .malformed(what: "record batch \(batchIndex) has \(buffers.count) buffers; its columns need \(expectedBuffers)", offset: at)
        }
        let reader = table.reader
        var columns: [ArrowColumn] = []
        columns.reserveCapacity(schema.fields.count)
        var bufferIndex = 0
        for (columnIndex, field) in schema.fields.enumerated() {
            let nodeAt = nodes.first + 16 * columnIndex
            let nodeLength: Int64 = reader.load(Int64.self, at: nodeAt)
            let nullCount: Int64 = reader.load(Int64.self, at: nodeAt + 8)
            guard nodeLength == length else {
                throw .malformed(what: "column '\(field.name)' of record batch \(batchIndex) has length \(nodeLength), the batch \(length)", offset: nodeAt)
            }
            guard nullCount >= 0, nullCount <= nodeLength else {
                throw .malformed(what: "column '\(field.name)' of record batch \(batchIndex) has null count \(nullCount)", offset: nodeAt)
            }
            var spans: [BufferSpan] = []
            for _ in 0..<Self.bufferCount(field.type) {
                let bufferAt = buffers.first + 16 * bufferIndex
                let offset: Int64 = reader.load(Int64.self, at: bufferAt)
                let size: Int64 = reader.load(Int64.self, at: bufferAt + 8)
                guard offset >= 0, size >= 0, offset <= Int64(message.bodyLength), size <= Int64(message.bodyLength) - offset else {
                    throw .malformed(what: "buffer \(bufferIndex) (column '\(field.name)', record batch \(batchIndex)) at body offset \(offset) with \(size) bytes lies outside the \(message.bodyLength)-byte body", offset: bufferAt)
                }
                spans.append(BufferSpan(start: message.bodyStart + Int(offset), length: Int(size)))
                bufferIndex += 1
            }
            let column = ColumnDecoder(name: field.name, batch: batchIndex, length: rowCount, nullCount: Int(nullCount), buffers: spans)
            columns.append(try withInput { raw throws(ArrowError) in try column.decode(field.type, raw) })
        }
        return ArrowRecordBatch(uncheckedSchema: schema, rowCount: rowCount, columns: columns)
    }

    /// Runs `body` over the input's bytes, passing its typed error through.
    private func withInput<R>(_ body: (UnsafeRawBufferPointer) throws(ArrowError) -> R) throws(ArrowError) -> R {
        let result: Result<R, ArrowError> = bytes.withUnsafeBytes { raw in
            do throws(ArrowError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

/// Decodes the buffers of one column of one record batch, each span already checked to lie in the body.
struct ColumnDecoder {
    let name: String
    let batch: Int
    let length: Int
    let nullCount: Int
    let buffers: [IPCStreamDecoder.BufferSpan]

    func decode(_ type: ArrowType, _ raw: UnsafeRawBufferPointer) throws(ArrowError) -> ArrowColumn {
        switch type {
        case .null: return .null(count: length)
        case .int8: return .int8(try fixedWidth(Int8.self, raw) { $0 })
        case .int16: return .int16(try fixedWidth(Int16.self, raw) { $0 })
        case .int32: return .int32(try fixedWidth(Int32.self, raw) { $0 })
        case .int64: return .int64(try fixedWidth(Int64.self, raw) { $0 })
        case .float32: return .float32(try fixedWidth(UInt32.self, raw) { Float(bitPattern: $0) })
        case .float64: return .float64(try fixedWidth(UInt64.self, raw) { Double(bitPattern: $0) })
        case .timestamp: return .timestamp(try fixedWidth(Int64.self, raw) { $0 })
        case .date32: return .date32(try fixedWidth(Int32.self, raw) { $0 })
        case .date64: return .date64(try fixedWidth(Int64.self, raw) { $0 })
        case .decimal128: return .decimal128(try decimals(raw))
        case .bool: return .bool(try booleans(raw))
        case .utf8: return .string(try strings(Int32.self, raw))
        case .largeUtf8: return .string(try strings(Int64.self, raw))
        }
    }

    /// Throws unless `buffer` holds at least `count × width` bytes.
    private func require(_ buffer: Int, _ what: String, count: Int, width: Int) throws(ArrowError) {
        let (needed, overflow) = count.multipliedReportingOverflow(by: width)
        let span = buffers[buffer]
        guard !overflow, span.length >= needed else {
            throw .malformed(what: "\(what) buffer of column '\(name)' (record batch \(batch)) has \(span.length) bytes; \(length) rows need \(overflow ? "more" : String(needed))", offset: span.start)
        }
    }

    /// The validity bitmap (buffer 0), or nil when every value is valid. Bit i (LSB first within each byte) is
    /// 1 when value i is valid. The bitmap's zero bits must number exactly the node's null count.
    private func validity(_ raw: UnsafeRawBufferPointer) throws(ArrowError) -> Int? {
        guard nullCount > 0 else { return nil }
        try require(0, "validity", count: (length + 7) / 8, width: 1)
        let start = buffers[0].start
        var valid = 0
        for byte in 0..<(length / 8) { valid += raw[start + byte].nonzeroBitCount }
        if length % 8 != 0 {
            let mask = UInt8((1 << (length % 8)) - 1)
            valid += (raw[start + length / 8] & mask).nonzeroBitCount
        }
        guard length - valid == nullCount else {
            throw .invalidColumnData(column: name, batch: batch, row: nil,
                                     reason: "the null count is \(nullCount) but the validity bitmap has \(length - valid) nulls")
        }
        return start
    }

    @inline(__always)
    private func isValid(_ bitmap: Int?, _ row: Int, _ raw: UnsafeRawBufferPointer) -> Bool {
        guard let bitmap else { return true }
        return raw[bitmap + row >> 3] & (1 << UInt8(row & 7)) != 0
    }

    /// Values of a fixed-width type `T` (buffer 1), little-endian, mapped by `convert`.
    private func fixedWidth<T: FixedWidthInteger, V>(_ type: T.Type, _ raw: UnsafeRawBufferPointer,
                                                     _ convert: (T) -> V) throws(ArrowError) -> [V?] {
        let bitmap = try validity(raw)
        let width = MemoryLayout<T>.size
        try require(1, "values", count: length, width: width)
        let start = buffers[1].start
        // One allocation, then a tight loop over the checked buffer: linear, nothing allocated per value.
        return [V?](unsafeUninitializedCapacity: length) { output, initialized in
            guard let first = output.baseAddress else { return }
            if bitmap == nil {
                for row in 0..<length {
                    (first + row).initialize(to: convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: start + row * width, as: T.self))))
                }
            } else {
                for row in 0..<length {
                    (first + row).initialize(to: isValid(bitmap, row, raw)
                        ? convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: start + row * width, as: T.self)))
                        : nil)
                }
            }
            initialized = length
        }
    }

    /// 16-byte little-endian two's-complement integers (buffer 1): low 64 bits first.
    private func decimals(_ raw: UnsafeRawBufferPointer) throws(ArrowError) -> [ArrowDecimal128?] {
        let bitmap = try validity(raw)
        try require(1, "values", count: length, width: 16)
        let start = buffers[1].start
        var values: [ArrowDecimal128?] = []
        values.reserveCapacity(length)
        for row in 0..<length {
            guard isValid(bitmap, row, raw) else { values.append(nil); continue }
            let at = start + 16 * row
            values.append(ArrowDecimal128(
                high: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: Int64.self)),
                low: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))))
        }
        return values
    }

    /// Bit-packed booleans (buffer 1), LSB first like the validity bitmap.
    private func booleans(_ raw: UnsafeRawBufferPointer) throws(ArrowError) -> [Bool?] {
        let bitmap = try validity(raw)
        try require(1, "values", count: (length + 7) / 8, width: 1)
        let start = buffers[1].start
        var values: [Bool?] = []
        values.reserveCapacity(length)
        for row in 0..<length {
            values.append(isValid(bitmap, row, raw) ? raw[start + row >> 3] & (1 << UInt8(row & 7)) != 0 : nil)
        }
        return values
    }

    /// Strings: `length + 1` offsets of type `Offset` (buffer 1) into the UTF-8 data (buffer 2); value i is
    /// data[offsets[i] ..< offsets[i + 1]]. Offsets must not decrease and must stay inside the data; every
    /// valid value must be UTF-8. An empty column may have an empty offsets buffer.
    private func strings<Offset: FixedWidthInteger>(_ type: Offset.Type, _ raw: UnsafeRawBufferPointer) throws(ArrowError) -> [String?] {
        let bitmap = try validity(raw)
        if length == 0 { return [] }
        let width = MemoryLayout<Offset>.size
        try require(1, "offsets", count: length + 1, width: width)
        let offsetsStart = buffers[1].start
        let data = buffers[2]
        let utf8 = raw.assumingMemoryBound(to: UInt8.self)
        func offset(_ index: Int) -> Int64 {
            Int64(Offset(littleEndian: raw.loadUnaligned(fromByteOffset: offsetsStart + index * width, as: Offset.self)))
        }
        var values: [String?] = []
        values.reserveCapacity(length)
        var lower = offset(0)
        guard lower >= 0, lower <= Int64(data.length) else {
            throw .invalidColumnData(column: name, batch: batch, row: 0, reason: "the first string offset lies outside the \(data.length)-byte data buffer")
        }
        for row in 0..<length {
            let upper = offset(row + 1)
            guard upper >= lower, upper <= Int64(data.length) else {
                throw .invalidColumnData(column: name, batch: batch, row: row,
                                         reason: "string offsets decrease or pass the end of the \(data.length)-byte data buffer")
            }
            if isValid(bitmap, row, raw) {
                let bytes = UnsafeBufferPointer(rebasing: utf8[(data.start + Int(lower))..<(data.start + Int(upper))])
                guard let text = decodeUTF8(bytes) else {
                    throw .invalidColumnData(column: name, batch: batch, row: row, reason: "the string is not valid UTF-8")
                }
                values.append(text)
            } else {
                values.append(nil)
            }
            lower = upper
        }
        return values
    }
}
