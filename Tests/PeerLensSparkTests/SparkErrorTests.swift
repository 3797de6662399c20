import GRPCCore
import GRPCProtobuf
import Testing
@testable import PeerLensSpark

@Suite("Spark errors")
struct SparkErrorTests {
    let url = "sc://127.0.0.1:15002"

    /// An RPC error as Spark Connect sends it: the message, and a google.rpc.Status with an ErrorInfo whose
    /// metadata carries the error class and SQLSTATE (the keys pyspark reads).
    func sparkServerError(code: RPCError.Code, message: String, errorClass: String?, sqlState: String?) -> RPCError {
        var metadata: [String: String] = ["classes": #"["org.apache.spark.sql.AnalysisException"]"#]
        if let errorClass { metadata["errorClass"] = errorClass }
        if let sqlState { metadata["sqlState"] = sqlState }
        let status = GoogleRPCStatus(
            code: code, message: message,
            details: .errorInfo(reason: "org.apache.spark.sql.AnalysisException", domain: "org.apache.spark",
                                metadata: metadata))
        return RPCError(status)
    }

    @Test func serverErrorsCarryErrorClassAndSQLState() {
        let message = "[TABLE_OR_VIEW_NOT_FOUND] The table or view `messages` cannot be found. Verify the spelling. SQLSTATE: 42P01; line 1 pos 14\n== SQL ==\nSELECT * FROM messages"
        let error = SparkError.from(
            sparkServerError(code: .internalError, message: message, errorClass: "TABLE_OR_VIEW_NOT_FOUND", sqlState: "42P01"),
            url: url, operation: "counting messages", receivedResponse: false)
        guard case .server(let failure) = error else {
            Issue.record("expected a server failure, got \(error)")
            return
        }
        #expect(failure.errorClass == "TABLE_OR_VIEW_NOT_FOUND")
        #expect(failure.sqlState == "42P01")
        #expect(failure.exceptionClass == "org.apache.spark.sql.AnalysisException")
        #expect(failure.status == RPCError.Code.internalError.description)
        #expect(failure.serverMessage == message)
        #expect(error.description == "the Spark server at sc://127.0.0.1:15002 failed counting messages: [TABLE_OR_VIEW_NOT_FOUND] The table or view `messages` cannot be found. Verify the spelling. (SQLSTATE 42P01)")
    }

    @Test func serverErrorsWithoutDetailsKeepTheMessage() {
        let error = SparkError.from(RPCError(code: .invalidArgument, message: "bad plan"),
                                    url: url, operation: "running a SQL statement", receivedResponse: true)
        guard case .server(let failure) = error else {
            Issue.record("expected a server failure, got \(error)")
            return
        }
        #expect(failure.errorClass == nil)
        #expect(failure.sqlState == nil)
        #expect(error.description == "the Spark server at sc://127.0.0.1:15002 failed running a SQL statement: bad plan")
    }

    @Test func printedMessagesDropQuotedValuesAndQueryContext() {
        let message = "[CAST_INVALID_INPUT] The value 'member-0042' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed. SQLSTATE: 22018\n== SQL (line 1, position 8) ==\nSELECT CAST('member-0042' AS INT)"
        let printed = SparkError.printableServerMessage(message)
        #expect(printed == "[CAST_INVALID_INPUT] The value '…' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed.")
        #expect(!printed.contains("member-0042"))
        #expect(SparkError.printableServerMessage("unterminated 'value and more") == "unterminated '…")
        #expect(SparkError.printableServerMessage("") == "")

        let error = SparkError.from(
            sparkServerError(code: .internalError, message: message, errorClass: "CAST_INVALID_INPUT", sqlState: "22018"),
            url: url, operation: "loading scores", receivedResponse: false)
        #expect(!error.description.contains("member-0042"))
        #expect(error.description.hasSuffix("because it is malformed. (SQLSTATE 22018)"))
    }

    @Test func anUnavailableServerIsUnreachableBeforeItAnswersAndLostAfter() {
        let rpcError = RPCError(code: .unavailable, message: "Could not establish a connection to 127.0.0.1:15002.",
                                cause: RPCError(code: .unavailable, message: "connection refused"))
        let before = SparkError.from(rpcError, url: url, operation: "running a SQL statement", receivedResponse: false)
        guard case .unreachable(let beforeURL, let operation, let detail) = before else {
            Issue.record("expected unreachable, got \(before)")
            return
        }
        #expect(beforeURL == url)
        #expect(operation == "running a SQL statement")
        #expect(detail.contains("connection refused"))
        #expect(before.description.hasPrefix("could not reach the Spark Connect server at sc://127.0.0.1:15002 while running a SQL statement: "))
        #expect(before.description.contains("bash .ci/spark-cluster start"))

        let after = SparkError.from(rpcError, url: url, operation: "running a SQL statement", receivedResponse: true)
        guard case .connectionLost(let afterURL, _, _) = after else {
            Issue.record("expected connectionLost, got \(after)")
            return
        }
        #expect(afterURL == url)
        #expect(after.description.contains("The result was incomplete and has been discarded."))
    }

    @Test func aStalledOperationSaysWhatToCheck() {
        let text = String(describing: SparkError.stalled(url: url, operation: "reading messages", seconds: 900))
        #expect(text.hasPrefix("the Spark Connect server at \(url) made no progress reading messages for 900 s"))
        #expect(text.contains("PEERLENS_SPARK_DRIVER_MEMORY") && text.contains("PEERLENS_SPARK_STALL_SECONDS"))
        #expect(SparkError.from(SparkError.stalled(url: url, operation: "x", seconds: 5), url: url, operation: "x", receivedResponse: false)
                == .stalled(url: url, operation: "x", seconds: 5))
    }

    @Test func deadlinesCancellationAndSparkErrorsMapToThemselves() {
        #expect(SparkError.from(RPCError(code: .deadlineExceeded, message: "timed out"), url: url, operation: "x", receivedResponse: true)
                == .timedOut(url: url, operation: "x"))
        #expect(SparkError.from(RPCError(code: .cancelled, message: "cancelled"), url: url, operation: "x", receivedResponse: false)
                == .cancelled(url: url, operation: "x"))
        #expect(SparkError.from(CancellationError(), url: url, operation: "x", receivedResponse: false)
                == .cancelled(url: url, operation: "x"))
        let violation = SparkError.protocolViolation(url: url, operation: "x", detail: "d")
        #expect(SparkError.from(violation, url: "other", operation: "y", receivedResponse: false) == violation)
    }
}
