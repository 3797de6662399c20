/// A bounds-checked reader of the FlatBuffers binary format, for the few Arrow metadata tables this library
/// reads (Message, Schema, Field, the type tables, RecordBatch, BodyCompression).
///
/// Layout (flatbuffers.dev, "FlatBuffers internals"): the buffer starts with a `uint32` offset to the root
/// table. A table starts with an `int32` that, subtracted from the table's position, gives its vtable; the
/// vtable is `uint16` vtable size, `uint16` table size, then one `uint16` per field: the field's offset within
/// the table, 0 when absent. Reference fields hold a `uint32` offset, relative to the field's own position,
/// to a table, a string (`uint32` length, bytes, NUL) or a vector (`uint32` count, elements). All little-endian.
///
/// Every read is checked against the metadata region `[start, end)` of the input, so a malformed or hostile
/// buffer throws an `ArrowError` with the absolute byte offset in the input; nothing traps.
struct FlatBufferReader {
    let bytes: [UInt8]
    /// The first byte of the flatbuffer within `bytes`.
    let start: Int
    /// One past the last byte of the flatbuffer.
    let end: Int
    /// What the buffer is, for errors ("message 2 metadata").
    let context: String

    /// Throws unless `size` bytes at `position` lie inside the flatbuffer.
    func require(_ position: Int, _ size: Int, _ what: String) throws(ArrowError) {
        guard position >= start, position <= end, size >= 0, end - position >= size else {
            throw .malformed(what: "\(context): \(what) lies outside the \(end - start)-byte metadata", offset: position)
        }
    }

    /// A little-endian integer at `position`, which the caller has checked.
    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: T.self)) }
    }

    /// A checked little-endian integer at `position`.
    func read<T: FixedWidthInteger>(_ type: T.Type, at position: Int, _ what: String) throws(ArrowError) -> T {
        try require(position, MemoryLayout<T>.size, what)
        return load(T.self, at: position)
    }

    /// Follows the `uint32` offset stored at `position` (relative to `position`).
    func follow(_ position: Int, _ what: String) throws(ArrowError) -> Int {
        let offset = try read(UInt32.self, at: position, "offset to \(what)")
        let target = position + Int(offset)
        try require(target, 0, what)
        return target
    }

    /// The root table.
    func root(_ what: String) throws(ArrowError) -> FlatBufferTable {
        try table(at: follow(start, what), what)
    }

    /// The table at `position`, with its vtable checked.
    func table(at position: Int, _ what: String) throws(ArrowError) -> FlatBufferTable {
        let vtableOffset = try read(Int32.self, at: position, "\(what) table")
        let vtable = position - Int(vtableOffset)
        let vtableSize = Int(try read(UInt16.self, at: vtable, "\(what) vtable"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw .malformed(what: "\(context): \(what) vtable has size \(vtableSize)", offset: vtable)
        }
        try require(vtable, vtableSize, "\(what) vtable")
        let tableSize = Int(load(UInt16.self, at: vtable + 2))
        guard tableSize >= 4 else {
            throw .malformed(what: "\(context): \(what) table has size \(tableSize)", offset: position)
        }
        try require(position, tableSize, "\(what) table")
        return FlatBufferTable(reader: self, position: position, vtable: vtable,
                               fieldCount: (vtableSize - 4) / 2, size: tableSize, what: what)
    }
}

/// One table of a flatbuffer, its vtable and bounds already checked.
struct FlatBufferTable {
    let reader: FlatBufferReader
    let position: Int
    let vtable: Int
    let fieldCount: Int
    let size: Int
    let what: String

    /// The absolute position of field `id` (0-based, in schema order) if present, checked to hold `width`
    /// bytes inside the table.
    func fieldPosition(_ id: Int, width: Int, _ name: String) throws(ArrowError) -> Int? {
        guard id < fieldCount else { return nil }
        let offset = Int(reader.load(UInt16.self, at: vtable + 4 + 2 * id))
        guard offset != 0 else { return nil }
        guard offset >= 4, offset + width <= size else {
            throw .malformed(what: "\(reader.context): field \(name) of \(what) lies outside its table",
                             offset: position)
        }
        return position + offset
    }

    /// A scalar field, or `defaultValue` when absent.
    func scalar<T: FixedWidthInteger>(_ id: Int, _ name: String, default defaultValue: T) throws(ArrowError) -> T {
        guard let at = try fieldPosition(id, width: MemoryLayout<T>.size, name) else { return defaultValue }
        return reader.load(T.self, at: at)
    }

    /// A boolean field, or `defaultValue` when absent.
    func bool(_ id: Int, _ name: String, default defaultValue: Bool) throws(ArrowError) -> Bool {
        try scalar(id, name, default: UInt8(defaultValue ? 1 : 0)) != 0
    }

    /// A table field, or nil when absent.
    func table(_ id: Int, _ name: String) throws(ArrowError) -> FlatBufferTable? {
        guard let at = try fieldPosition(id, width: 4, name) else { return nil }
        return try reader.table(at: reader.follow(at, name), name)
    }

    /// A string field, or nil when absent; invalid UTF-8 throws.
    func string(_ id: Int, _ name: String) throws(ArrowError) -> String? {
        guard let at = try fieldPosition(id, width: 4, name) else { return nil }
        let target = try reader.follow(at, name)
        let length = Int(try reader.read(UInt32.self, at: target, "length of \(name)"))
        try reader.require(target + 4, length, name)
        let utf8 = reader.bytes[(target + 4)..<(target + 4 + length)]
        guard let text = decodeUTF8(utf8) else {
            throw .malformed(what: "\(reader.context): \(name) is not valid UTF-8", offset: target + 4)
        }
        return text
    }

    /// A vector field as (position of the first element, element count), or nil when absent; checked to hold
    /// `count × elementSize` bytes.
    func vector(_ id: Int, _ name: String, elementSize: Int) throws(ArrowError) -> (first: Int, count: Int)? {
        guard let at = try fieldPosition(id, width: 4, name) else { return nil }
        let target = try reader.follow(at, name)
        let count = Int(try reader.read(UInt32.self, at: target, "length of \(name)"))
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else {
            throw .malformed(what: "\(reader.context): \(name) has \(count) elements", offset: target)
        }
        try reader.require(target + 4, bytes, "\(count) elements of \(name)")
        return (target + 4, count)
    }

    /// The tables of a vector-of-tables field (empty when absent).
    func tables(_ id: Int, _ name: String) throws(ArrowError) -> [FlatBufferTable] {
        guard let (first, count) = try vector(id, name, elementSize: 4) else { return [] }
        var tables: [FlatBufferTable] = []
        tables.reserveCapacity(count)
        for index in 0..<count {
            let slot = first + 4 * index
            tables.append(try reader.table(at: reader.follow(slot, "\(name)[\(index)]"), "\(name)[\(index)]"))
        }
        return tables
    }
}

/// `utf8` as a String if it is valid UTF-8, else nil (never repaired: a repaired string would silently differ
/// from the data).
func decodeUTF8<C: Collection>(_ utf8: C) -> String? where C.Element == UInt8 {
    if #available(macOS 15, *) {
        return String(validating: utf8, as: UTF8.self)
    }
    let text = String(decoding: utf8, as: UTF8.self)
    return text.utf8.elementsEqual(utf8) ? text : nil
}
