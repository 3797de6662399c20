/// Why an Arrow IPC stream could not be decoded or encoded, or why a column could not be read as asked.
///
/// Every case says what was wrong and where — a byte offset in the stream, a message number, a column name,
/// a batch or row number — and never a value from the data, so that an error can be logged without leaking
/// a row.
public enum ArrowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ends inside a structure: `what` needs `needed` bytes at byte `offset` of the input, and only
    /// `available` bytes are left there.
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    /// A structure is present but invalid (a negative length, an offset out of bounds, a missing required
    /// part, messages in the wrong order); `offset` is the byte offset in the input where it was found.
    case malformed(what: String, offset: Int)
    /// A column's Arrow type is one this library does not read or write (`type` names it, e.g. `uint32`,
    /// `list`, `decimal256`).
    case unsupportedType(column: String, type: String)
    /// A stream uses a feature this library refuses: body compression, dictionary encoding, big-endian data,
    /// tensors, metadata older than version 4.
    case unsupportedFeature(String)
    /// A column's buffers are well-formed but their content is not valid Arrow data (string offsets that go
    /// backwards, invalid UTF-8, a null count that disagrees with the validity bitmap). `batch` counts record
    /// batches from 0; `row`, when known, counts rows within that batch from 0.
    case invalidColumnData(column: String, batch: Int, row: Int?, reason: String)
    /// No column has this name.
    case columnNotFound(String)
    /// More than one column has this name, so a look-up by name cannot choose.
    case ambiguousColumn(String)
    /// A column was asked for as `requested` but holds `actual`.
    case typeMismatch(column: String, requested: String, actual: String)
    /// A value cannot be converted as asked (e.g. a timestamp in seconds that overflows 64-bit microseconds).
    case valueOutOfRange(column: String, row: Int, reason: String)
    /// A batch built by a caller (for encoding) disagrees with its schema: column count, a column's kind or
    /// length, nulls in a non-nullable field, a value too large for its type.
    case invalidBatch(String)

    /// One sentence for a person: what was wrong and where.
    public var description: String {
        switch self {
        case let .truncated(what, offset, needed, available):
            return "Arrow stream truncated: \(what) needs \(needed) bytes at byte \(offset), only \(available) remain"
        case let .malformed(what, offset):
            return "malformed Arrow stream at byte \(offset): \(what)"
        case let .unsupportedType(column, type):
            return "column '\(column)' has Arrow type \(type), which PeerLensArrow does not support"
        case let .unsupportedFeature(what):
            return "unsupported Arrow stream feature: \(what)"
        case let .invalidColumnData(column, batch, row, reason):
            let place = row.map { "batch \(batch), row \($0)" } ?? "batch \(batch)"
            return "invalid Arrow data in column '\(column)' (\(place)): \(reason)"
        case let .columnNotFound(name):
            return "no column named '\(name)' in the Arrow schema"
        case let .ambiguousColumn(name):
            return "more than one column is named '\(name)' in the Arrow schema"
        case let .typeMismatch(column, requested, actual):
            return "column '\(column)' was read as \(requested) but holds \(actual)"
        case let .valueOutOfRange(column, row, reason):
            return "column '\(column)', row \(row): \(reason)"
        case let .invalidBatch(what):
            return "invalid Arrow record batch: \(what)"
        }
    }
}
