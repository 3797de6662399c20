// What an executed Spark plan returns: its Arrow IPC batches and the progress reported on the way.

/// One Arrow batch of a result, as the server sent it: a complete Arrow IPC *stream* (schema message, record
/// batch(es), end-of-stream marker) in `ipcStream`, undecoded, and the number of rows the server says it holds.
public struct SparkArrowBatch: Sendable, Equatable {
    /// The Arrow IPC stream bytes (`ExecutePlanResponse.arrow_batch.data`; chunks of one batch joined).
    public var ipcStream: [UInt8]
    /// The rows in this batch, as the server announced them.
    public var rowCount: Int64
    /// The position of the batch's first row in the whole result, when the server sent it.
    public var startOffset: Int64?

    /// Creates a batch.
    public init(ipcStream: [UInt8], rowCount: Int64, startOffset: Int64?) {
        self.ipcStream = ipcStream
        self.rowCount = rowCount
        self.startOffset = startOffset
    }
}

/// The result of one executed plan: its Arrow batches in the order the server sent them (their rows, in that
/// order, are the result's rows), with the operation's identity.
public struct SparkQueryResult: Sendable, Equatable {
    /// The server's identifier of the operation (a UUID the client chose).
    public var operationID: String
    /// The Arrow batches, in order. A result without rows still has one batch carrying the schema when the server
    /// sent one (Spark 4.3 does, for a query).
    public var batches: [SparkArrowBatch]
    /// The rows in all batches.
    public var rowCount: Int64 { batches.reduce(0) { $0 + $1.rowCount } }

    /// Creates a result.
    public init(operationID: String, batches: [SparkArrowBatch]) {
        self.operationID = operationID
        self.batches = batches
    }
}

/// How far a running operation has come, as Spark Connect reports it (`ExecutePlanResponse.execution_progress`):
/// the stages the server has scheduled so far, each with its tasks.
///
/// Spark plans stages as the query runs, so the totals can grow between reports: a fraction of 1 means every stage
/// known so far is done, not that the query is.
public struct SparkProgress: Sendable, Equatable {
    /// One stage of the Spark job(s) running the operation.
    public struct Stage: Sendable, Equatable {
        /// Spark's stage identifier.
        public var id: Int64
        /// The stage's tasks.
        public var tasks: Int64
        /// The tasks that have finished.
        public var completedTasks: Int64
        /// Bytes the stage has read from its input so far.
        public var inputBytesRead: Int64
        /// Whether the stage has finished.
        public var isDone: Bool

        /// Creates a stage's progress.
        public init(id: Int64, tasks: Int64, completedTasks: Int64, inputBytesRead: Int64, isDone: Bool) {
            self.id = id
            self.tasks = tasks
            self.completedTasks = completedTasks
            self.inputBytesRead = inputBytesRead
            self.isDone = isDone
        }
    }

    /// The stages reported, in the server's order.
    public var stages: [Stage]
    /// Tasks running now.
    public var inflightTasks: Int64

    /// Tasks of all stages reported.
    public var totalTasks: Int64 { stages.reduce(0) { $0 + $1.tasks } }
    /// Finished tasks of all stages reported.
    public var completedTasks: Int64 { stages.reduce(0) { $0 + $1.completedTasks } }
    /// Bytes read by all stages reported.
    public var inputBytesRead: Int64 { stages.reduce(0) { $0 + $1.inputBytesRead } }
    /// Finished tasks over all tasks of the stages reported (0…1), `nil` before any task is known.
    public var fractionComplete: Double? {
        totalTasks > 0 ? Double(completedTasks) / Double(totalTasks) : nil
    }

    /// Creates a progress report.
    public init(stages: [Stage], inflightTasks: Int64) {
        self.stages = stages
        self.inflightTasks = inflightTasks
    }
}
