import Foundation
import Synchronization
import Testing
import SparkConnectProtocol
@testable import PeerLensSpark

@Suite("Collecting ExecutePlan responses")
struct ExecutePlanCollectorTests {
    let session = "0f8fad5b-d9cb-469f-a165-70867728950e"
    let operation = "8d3f0a4e-3c61-4c1c-9d0e-2b5e6f7a8b9c"

    func collector(onProgress: (@Sendable (SparkProgress) -> Void)? = nil) -> ExecutePlanCollector {
        ExecutePlanCollector(url: "sc://127.0.0.1:15002", operation: "running a SQL statement", sessionID: session,
                             operationID: operation, onProgress: onProgress)
    }

    func response(_ configure: (inout Spark_Connect_ExecutePlanResponse) -> Void) -> Spark_Connect_ExecutePlanResponse {
        var response = Spark_Connect_ExecutePlanResponse()
        response.sessionID = session
        response.serverSideSessionID = "server-1"
        response.operationID = operation
        configure(&response)
        return response
    }

    func batch(_ bytes: [UInt8], rows: Int64, offset: Int64?, chunk: (index: Int64, of: Int64)? = nil) -> Spark_Connect_ExecutePlanResponse {
        response { response in
            var batch = Spark_Connect_ExecutePlanResponse.ArrowBatch()
            batch.data = Data(bytes)
            batch.rowCount = rows
            if let offset { batch.startOffset = offset }
            if let chunk {
                batch.chunkIndex = chunk.index
                batch.numChunksInBatch = chunk.of
            }
            response.arrowBatch = batch
        }
    }

    @Test func batchesComeBackInOrderWithTheirRowCounts() throws {
        var collector = collector()
        try collector.add(response { $0.schema = Spark_Connect_DataType() })
        try collector.add(batch([1, 2, 3], rows: 4, offset: 0))
        try collector.add(batch([4, 5], rows: 1, offset: 4))
        try collector.add(batch([6], rows: 0, offset: nil))
        let result = try collector.finish()
        #expect(result.operationID == operation)
        #expect(result.batches == [
            SparkArrowBatch(ipcStream: [1, 2, 3], rowCount: 4, startOffset: 0),
            SparkArrowBatch(ipcStream: [4, 5], rowCount: 1, startOffset: 4),
            SparkArrowBatch(ipcStream: [6], rowCount: 0, startOffset: nil),
        ])
        #expect(result.rowCount == 5)
        #expect(collector.serverSideSessionID == "server-1")
        #expect(collector.responseCount == 4)
    }

    @Test func chunksOfOneBatchAreJoined() throws {
        var collector = collector()
        try collector.add(batch([1, 2], rows: 7, offset: 0, chunk: (0, 3)))
        try collector.add(batch([3], rows: 7, offset: 0, chunk: (1, 3)))
        try collector.add(batch([4, 5], rows: 7, offset: 0, chunk: (2, 3)))
        try collector.add(batch([9], rows: 2, offset: 7, chunk: (0, 1)))
        #expect(try collector.finish().batches == [
            SparkArrowBatch(ipcStream: [1, 2, 3, 4, 5], rowCount: 7, startOffset: 0),
            SparkArrowBatch(ipcStream: [9], rowCount: 2, startOffset: 7),
        ])
    }

    @Test func progressReportsReachTheCallback() throws {
        let reports = Mutex<[SparkProgress]>([])
        var collector = collector { progress in reports.withLock { $0.append(progress) } }
        try collector.add(response { response in
            var stage = Spark_Connect_ExecutePlanResponse.ExecutionProgress.StageInfo()
            stage.stageID = 3
            stage.numTasks = 4
            stage.numCompletedTasks = 1
            stage.inputBytesRead = 1024
            var done = Spark_Connect_ExecutePlanResponse.ExecutionProgress.StageInfo()
            done.stageID = 2
            done.numTasks = 2
            done.numCompletedTasks = 2
            done.done = true
            var progress = Spark_Connect_ExecutePlanResponse.ExecutionProgress()
            progress.stages = [done, stage]
            progress.numInflightTasks = 2
            response.executionProgress = progress
        })
        let received = reports.withLock { $0 }
        #expect(received.count == 1)
        let progress = try #require(received.first)
        #expect(progress.stages.map(\.id) == [2, 3])
        #expect(progress.inflightTasks == 2)
        #expect(progress.totalTasks == 6)
        #expect(progress.completedTasks == 3)
        #expect(progress.inputBytesRead == 1024)
        #expect(progress.fractionComplete == 0.5)
        #expect(SparkProgress(stages: [], inflightTasks: 0).fractionComplete == nil)
    }

    /// The stall watchdog's clock: reset by rows and by a progress report that differs from the one before, not by a
    /// report repeated unchanged (the server repeats them every 2 s while a task runs).
    @Test func onlyChangedProgressOrRowsCountAsProgress() throws {
        func progress(completed: Int64) -> Spark_Connect_ExecutePlanResponse {
            response { response in
                var stage = Spark_Connect_ExecutePlanResponse.ExecutionProgress.StageInfo()
                stage.stageID = 1
                stage.numTasks = 2
                stage.numCompletedTasks = completed
                var progress = Spark_Connect_ExecutePlanResponse.ExecutionProgress()
                progress.stages = [stage]
                response.executionProgress = progress
            }
        }
        let watch = ProgressWatch()
        watch.saw(progress(completed: 0))
        Thread.sleep(forTimeInterval: 0.2)
        watch.saw(progress(completed: 0))
        #expect(watch.idle >= .milliseconds(200), "a repeated report is no progress")
        watch.saw(progress(completed: 1))
        #expect(watch.idle < .milliseconds(200))
        Thread.sleep(forTimeInterval: 0.2)
        watch.saw(batch([1, 2, 3], rows: 1, offset: 0))
        #expect(watch.idle < .milliseconds(200), "rows are progress")
    }

    func expectViolation(_ detail: String, _ body: (inout ExecutePlanCollector) throws(SparkError) -> Void) {
        var collector = collector()
        #expect {
            try body(&collector)
        } throws: { error in
            guard case .protocolViolation(let url, let operation, let text) = error as? SparkError else { return false }
            return url == "sc://127.0.0.1:15002" && operation == "running a SQL statement" && text.contains(detail)
        }
    }

    @Test func responsesThatBreakTheProtocolAreRefused() {
        expectViolation("not this client's") { collector throws(SparkError) in
            try collector.add(response { $0.sessionID = "another-session" })
        }
        expectViolation("not \(operation)") { collector throws(SparkError) in
            try collector.add(response { $0.operationID = "another-operation" })
        }
        expectViolation("changed from server-1 to server-2") { collector throws(SparkError) in
            try collector.add(batch([1], rows: 1, offset: 0))
            try collector.add(response { $0.serverSideSessionID = "server-2" })
        }
        expectViolation("starting at row 5 where row 1 was due") { collector throws(SparkError) in
            try collector.add(batch([1], rows: 1, offset: 0))
            try collector.add(batch([2], rows: 1, offset: 5))
        }
        expectViolation("chunk 2 of 3 where chunk 1 of 3 was due") { collector throws(SparkError) in
            try collector.add(batch([1], rows: 1, offset: 0, chunk: (0, 3)))
            try collector.add(batch([2], rows: 1, offset: 0, chunk: (2, 3)))
        }
        expectViolation("starting at chunk 1 of 2") { collector throws(SparkError) in
            try collector.add(batch([1], rows: 1, offset: 0, chunk: (1, 2)))
        }
        expectViolation("chunk 4 of 2") { collector throws(SparkError) in
            try collector.add(batch([1], rows: 1, offset: 0, chunk: (4, 2)))
        }
        expectViolation("ended after chunk 1 of an Arrow batch of 2 chunks") { collector throws(SparkError) in
            try collector.add(batch([1], rows: 1, offset: 0, chunk: (0, 2)))
            _ = try collector.finish()
        }
    }

    @Test func aSQLStatementBecomesASQLRelationWithTypedArguments() {
        let plan = SparkConnectClient.sqlPlan(
            "SELECT * FROM messages WHERE week >= :from AND flagged = :flagged",
            arguments: ["from": .int64(202_610), "flagged": .boolean(true), "label": .string("x"),
                        "ratio": .double(0.5), "small": .int32(7), "missing": .null(.int64)])
        guard case .root(let relation) = plan.opType, case .sql(let sql) = relation.relType else {
            Issue.record("expected a SQL relation as the plan's root, got \(plan)")
            return
        }
        #expect(sql.query == "SELECT * FROM messages WHERE week >= :from AND flagged = :flagged")
        #expect(sql.args.isEmpty)
        #expect(sql.namedArguments["from"]?.literal.literalType == .long(202_610))
        #expect(sql.namedArguments["flagged"]?.literal.literalType == .boolean(true))
        #expect(sql.namedArguments["label"]?.literal.literalType == .string("x"))
        #expect(sql.namedArguments["ratio"]?.literal.literalType == .double(0.5))
        #expect(sql.namedArguments["small"]?.literal.literalType == .integer(7))
        guard case .null(let type) = sql.namedArguments["missing"]?.literal.literalType, case .some(.long) = type.kind else {
            Issue.record("expected a BIGINT null, got \(String(describing: sql.namedArguments["missing"]))")
            return
        }
        #expect(sql.namedArguments.count == 6)
    }
}
