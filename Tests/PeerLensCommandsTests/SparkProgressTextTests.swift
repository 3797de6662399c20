@testable import PeerLensCommands
import PeerLensSpark
import Testing

@Suite("The progress line of a Spark query")
struct SparkProgressTextTests {
    @Test func tasksOverAllStagesAndBytesRead() {
        let progress = SparkProgress(stages: [
            .init(id: 1, tasks: 10, completedTasks: 10, inputBytesRead: 1_000_000, isDone: true),
            .init(id: 2, tasks: 30, completedTasks: 2, inputBytesRead: 234_567, isDone: false),
        ], inflightTasks: 2)
        #expect(SparkProgressText.line(operation: "counting messages per week", progress: progress)
                == "Spark: counting messages per week: 12 of 40 tasks (30%), 1.2 MB read")
    }

    @Test func beforeAnyTaskIsKnownTheQueryIsStarting() {
        #expect(SparkProgressText.line(operation: "reading the ingest runs", progress: SparkProgress(stages: [], inflightTasks: 0))
                == "Spark: reading the ingest runs: starting")
        let noInput = SparkProgress(stages: [.init(id: 0, tasks: 3, completedTasks: 3, inputBytesRead: 0, isDone: true)], inflightTasks: 0)
        #expect(SparkProgressText.line(operation: "x", progress: noInput) == "Spark: x: 3 of 3 tasks (100%)")
    }

    @Test(arguments: [(Int64(0), "0 B"), (999, "999 B"), (1000, "1.0 kB"), (999_949, "999.9 kB"), (999_950, "1.0 MB"),
                      (2_500_000_000, "2.5 GB"), (7_000_000_000_000_000, "7.0 PB"), (7_000_000_000_000_000_000, "7000.0 PB")])
    func bytesInDecimalUnits(bytes: Int64, text: String) {
        #expect(ByteCount.text(bytes) == text)
    }
}
