import Foundation
import Synchronization
import Testing
import SparkConnectProtocol
@testable import PeerLensSpark

/// Response streams recorded from Spark 4.3.0 (Fixtures/capture_arrow_batches.py, Fixtures/responses/): each
/// serialized `ExecutePlanResponse` after its length as 4 bytes big-endian.
@Suite("Recorded Spark Connect response streams")
struct RecordedStreamTests {
    struct Recording: Sendable, CustomStringConvertible {
        let name: String
        let rowCounts: [Int64]
        let startOffsets: [Int64?]
        var description: String { name }
    }

    static func responses(_ name: String) throws -> [Spark_Connect_ExecutePlanResponse] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/responses/\(name)", withExtension: "responses"))
        let bytes = [UInt8](try Data(contentsOf: url))
        var messages: [Spark_Connect_ExecutePlanResponse] = []
        var position = 0
        while position < bytes.count {
            try #require(position + 4 <= bytes.count)
            let length = bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
            position += 4
            try #require(position + length <= bytes.count)
            messages.append(try Spark_Connect_ExecutePlanResponse(serializedBytes: Array(bytes[position..<position + length])))
            position += length
        }
        return messages
    }

    @Test(arguments: [
        Recording(name: "several-batches", rowCounts: [4, 1, 4, 1], startOffsets: [0, 4, 5, 9]),
        Recording(name: "mixed", rowCounts: [3, 3], startOffsets: [0, 3]),
        Recording(name: "empty", rowCounts: [0], startOffsets: [0]),
    ])
    func aRecordedStreamFoldsIntoItsBatches(_ recording: Recording) throws {
        let messages = try Self.responses(recording.name)
        let first = try #require(messages.first)
        let reports = Mutex<[SparkProgress]>([])
        var collector = ExecutePlanCollector(
            url: "sc://127.0.0.1:15002", operation: "replaying \(recording.name)", sessionID: first.sessionID,
            operationID: first.operationID, onProgress: { progress in reports.withLock { $0.append(progress) } })
        for message in messages { try collector.add(message) }
        let result = try collector.finish()
        #expect(result.batches.map(\.rowCount) == recording.rowCounts)
        #expect(result.batches.map(\.startOffset) == recording.startOffsets)
        for batch in result.batches {
            // An Arrow IPC stream: the continuation marker, then the schema message.
            #expect(Array(batch.ipcStream.prefix(4)) == [0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(collector.serverSideSessionID?.isEmpty == false)
        let received = reports.withLock { $0 }
        #expect(!received.isEmpty)
        #expect(received.allSatisfy { $0.completedTasks <= $0.totalTasks })
    }
}
