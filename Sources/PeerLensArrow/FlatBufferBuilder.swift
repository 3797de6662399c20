/// A minimal FlatBuffers writer for the Arrow metadata tables this library writes.
///
/// The official builders write back to front; this one writes front to back from a finished tree, which is
/// simpler for the handful of small tables a message needs: each table is written as its vtable, then the
/// table (8-byte aligned, its `int32` pointing back to the vtable), then — after it — the strings, vectors
/// and tables its reference fields point to, so every `uint32` offset points forward as the format requires.
/// Scalars sit at offsets aligned to their size, vectors of 8-byte structs start 8-byte aligned, so the
/// result passes the alignment checks of FlatBuffers' verifier (which Arrow C++ runs on every message).
struct FlatBufferBuilder {
    /// One field value of a table.
    indirect enum Value {
        case uint8(UInt8)
        case bool(Bool)
        case int16(Int16)
        case int32(Int32)
        case int64(Int64)
        case table(Table)
        case string(String)
        case tables([Table])
        /// A vector of structs already laid out little-endian; `count` elements of `bytes.count / count` bytes,
        /// aligned to 8.
        case structs(bytes: [UInt8], count: Int)

        /// Bytes the value takes inside its table (a reference takes a `uint32` offset).
        var inlineSize: Int {
            switch self {
            case .uint8, .bool: return 1
            case .int16: return 2
            case .int32, .table, .string, .tables, .structs: return 4
            case .int64: return 8
            }
        }
    }

    /// A table: field i of the schema is `fields[i]`, nil when absent.
    struct Table {
        var fields: [Value?]
    }

    private(set) var bytes: [UInt8] = []

    /// The flatbuffer of `root`, padded to a multiple of 8 bytes.
    static func serialize(_ root: Table) -> [UInt8] {
        var builder = FlatBufferBuilder()
        builder.append(UInt32(0))  // the root offset, patched below
        let rootPosition = builder.write(root)
        builder.patch(UInt32(rootPosition), at: 0)
        builder.pad(toMultipleOf: 8)
        return builder.bytes
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func patch<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[position + index] = byte }
        }
    }

    private mutating func pad(toMultipleOf alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Writes `table` (and everything it references) and returns the table's position.
    private mutating func write(_ table: Table) -> Int {
        // Inline layout: the int32 vtable offset, then fields from the widest down, each aligned to its size.
        let present = table.fields.enumerated().compactMap { id, value in value.map { (id: id, value: $0) } }
        var fieldOffsets = [Int](repeating: 0, count: table.fields.count)
        var cursor = 4
        for (id, value) in present.sorted(by: { $0.value.inlineSize > $1.value.inlineSize }) {
            let size = value.inlineSize
            cursor = (cursor + size - 1) / size * size
            fieldOffsets[id] = cursor
            cursor += size
        }
        let tableSize = cursor

        pad(toMultipleOf: 2)
        let vtablePosition = bytes.count
        append(UInt16(4 + 2 * table.fields.count))
        append(UInt16(tableSize))
        for offset in fieldOffsets { append(UInt16(offset)) }

        pad(toMultipleOf: 8)
        let tablePosition = bytes.count
        append(Int32(tablePosition - vtablePosition))
        bytes.append(contentsOf: repeatElement(0, count: tableSize - 4))
        for (id, value) in present {
            let at = tablePosition + fieldOffsets[id]
            switch value {
            case let .uint8(v): patch(v, at: at)
            case let .bool(v): patch(UInt8(v ? 1 : 0), at: at)
            case let .int16(v): patch(v, at: at)
            case let .int32(v): patch(v, at: at)
            case let .int64(v): patch(v, at: at)
            case .table, .string, .tables, .structs: break  // written after the table, below
            }
        }
        for (id, value) in present {
            let at = tablePosition + fieldOffsets[id]
            let target: Int
            switch value {
            case let .table(child): target = write(child)
            case let .string(text): target = write(text)
            case let .tables(children): target = write(children)
            case let .structs(structBytes, count): target = writeStructs(structBytes, count: count)
            case .uint8, .bool, .int16, .int32, .int64: continue
            }
            patch(UInt32(target - at), at: at)
        }
        return tablePosition
    }

    /// A string: `uint32` byte count, the UTF-8 bytes, a NUL.
    private mutating func write(_ text: String) -> Int {
        pad(toMultipleOf: 4)
        let position = bytes.count
        append(UInt32(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
        bytes.append(0)
        return position
    }

    /// A vector of tables: `uint32` count, one `uint32` offset per element, then the tables.
    private mutating func write(_ tables: [Table]) -> Int {
        pad(toMultipleOf: 4)
        let position = bytes.count
        append(UInt32(tables.count))
        let firstSlot = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 4 * tables.count))
        for (index, table) in tables.enumerated() {
            let slot = firstSlot + 4 * index
            let target = write(table)
            patch(UInt32(target - slot), at: slot)
        }
        return position
    }

    /// A vector of structs whose elements start 8-byte aligned (the count sits just before them).
    private mutating func writeStructs(_ structBytes: [UInt8], count: Int) -> Int {
        while (bytes.count + 4) % 8 != 0 { bytes.append(0) }
        let position = bytes.count
        append(UInt32(count))
        bytes.append(contentsOf: structBytes)
        return position
    }
}
