// Folds the response stream of one ExecutePlan call into a result, checking it as it goes.

import Foundation
import SparkConnectProtocol

/// Folds the responses of one `ExecutePlan` call, in order, into a ``SparkQueryResult``: Arrow batches (joining
/// the chunks of a batch the server split), progress reports (handed to `onProgress`), and the server-side session
/// the responses belong to. Schema, metrics and other responses carry nothing PeerLens uses and are skipped.
///
/// Every response must name the request's session and operation; a batch's chunks must arrive in order and add up.
/// A violation throws ``SparkError/protocolViolation(url:operation:detail:)``.
package struct ExecutePlanCollector {
    package let url: String
    package let operation: String
    package let sessionID: String
    package let operationID: String
    package let onProgress: (@Sendable (SparkProgress) -> Void)?

    /// The batches completed so far.
    package private(set) var batches: [SparkArrowBatch] = []
    /// The server-side session id the responses carried (the same in all of them).
    package private(set) var serverSideSessionID: String?
    /// Responses seen.
    package private(set) var responseCount = 0
    /// The chunks of a batch still being received: its bytes so far, its row count and start offset, and the
    /// number of chunks announced.
    private var pendingChunks: (bytes: [UInt8], rowCount: Int64, startOffset: Int64?, chunks: Int64, received: Int64)?

    package init(url: String, operation: String, sessionID: String, operationID: String,
                 onProgress: (@Sendable (SparkProgress) -> Void)?) {
        self.url = url
        self.operation = operation
        self.sessionID = sessionID
        self.operationID = operationID
        self.onProgress = onProgress
    }

    private func violation(_ detail: String) -> SparkError {
        .protocolViolation(url: url, operation: operation, detail: detail)
    }

    /// Takes the next response of the stream.
    package mutating func add(_ response: Spark_Connect_ExecutePlanResponse) throws(SparkError) {
        responseCount += 1
        guard response.sessionID == sessionID else {
            throw violation("a response for session \(response.sessionID), not this client's \(sessionID)")
        }
        if !response.operationID.isEmpty, response.operationID != operationID {
            throw violation("a response for operation \(response.operationID), not \(operationID)")
        }
        if !response.serverSideSessionID.isEmpty {
            if let known = serverSideSessionID, known != response.serverSideSessionID {
                throw violation("the server-side session changed from \(known) to \(response.serverSideSessionID) mid-operation")
            }
            serverSideSessionID = response.serverSideSessionID
        }
        switch response.responseType {
        case .arrowBatch(let batch):
            try addArrowBatch(batch)
        case .executionProgress(let progress):
            onProgress?(SparkProgress(
                stages: progress.stages.map {
                    SparkProgress.Stage(id: $0.stageID, tasks: $0.numTasks, completedTasks: $0.numCompletedTasks,
                                        inputBytesRead: $0.inputBytesRead, isDone: $0.done)
                },
                inflightTasks: progress.numInflightTasks))
        default:
            break
        }
    }

    private mutating func addArrowBatch(_ batch: Spark_Connect_ExecutePlanResponse.ArrowBatch) throws(SparkError) {
        let chunks = batch.hasNumChunksInBatch ? batch.numChunksInBatch : 1
        let chunkIndex = batch.hasChunkIndex ? batch.chunkIndex : 0
        guard chunks >= 1, (0..<chunks).contains(chunkIndex) else {
            throw violation("an Arrow batch chunk \(chunkIndex) of \(chunks)")
        }
        let startOffset = batch.hasStartOffset ? batch.startOffset : nil
        if var pending = pendingChunks {
            guard chunkIndex == pending.received, chunks == pending.chunks else {
                throw violation("Arrow batch chunk \(chunkIndex) of \(chunks) where chunk \(pending.received) of \(pending.chunks) was due")
            }
            pending.bytes.append(contentsOf: batch.data)
            pending.received += 1
            pendingChunks = pending
        } else {
            guard chunkIndex == 0 else {
                throw violation("an Arrow batch starting at chunk \(chunkIndex) of \(chunks)")
            }
            pendingChunks = (Array(batch.data), batch.rowCount, startOffset, chunks, 1)
        }
        if let pending = pendingChunks, pending.received == pending.chunks {
            if let offset = pending.startOffset, offset != rowsSoFar {
                throw violation("an Arrow batch starting at row \(offset) where row \(rowsSoFar) was due")
            }
            batches.append(SparkArrowBatch(ipcStream: pending.bytes, rowCount: pending.rowCount,
                                           startOffset: pending.startOffset))
            pendingChunks = nil
        }
    }

    private var rowsSoFar: Int64 { batches.reduce(0) { $0 + $1.rowCount } }

    /// The result, once the stream has ended without error.
    package func finish() throws(SparkError) -> SparkQueryResult {
        if let pending = pendingChunks {
            throw violation("the stream ended after chunk \(pending.received) of an Arrow batch of \(pending.chunks) chunks")
        }
        return SparkQueryResult(operationID: operationID, batches: batches)
    }
}
