// Every failure of the Spark Connect client, typed, with what was being done and where.

import Foundation
import GRPCCore
import GRPCProtobuf

/// A failure of the Spark Connect client: which server, what was being done, and what went wrong.
///
/// Server-side failures carry Spark's error class and SQLSTATE. Their printed message is the server's first line
/// with quoted literals (`'…'`) removed: Spark quotes values from the data there (`CAST_INVALID_INPUT`: "The value
/// '…' of the type …"), and PeerLens never echoes row values in errors; identifiers (in backticks) and types stay.
/// The untouched text is kept in ``ServerFailure/serverMessage`` for callers that log it under their own policy.
public enum SparkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL (as given) is not a valid Spark Connect URL; `reason` says why.
    case invalidURL(String, reason: String)
    /// No connection could be made to the server (nothing is listening, the host is unknown, a firewall).
    case unreachable(url: String, operation: String, detail: String)
    /// The connection broke after the server had started answering: the operation's result is incomplete and
    /// was discarded.
    case connectionLost(url: String, operation: String, detail: String)
    /// The server ran the request and reported an error (bad SQL, a missing table, a failed job…).
    case server(ServerFailure)
    /// The operation took longer than the time allowed for it.
    case timedOut(url: String, operation: String)
    /// The task awaiting the operation was cancelled.
    case cancelled(url: String, operation: String)
    /// The operation made no progress for `seconds` (no task finished, no rows came back) and was interrupted:
    /// a server that lost it (a driver out of memory collecting a result) never ends it otherwise.
    case stalled(url: String, operation: String, seconds: Int)
    /// The server answered with something the protocol does not allow (a response for another session, a
    /// batch split into chunks that do not add up, a session that changed under the client).
    case protocolViolation(url: String, operation: String, detail: String)

    /// An error the Spark server reported.
    public struct ServerFailure: Sendable, Equatable {
        /// The server's URL.
        public var url: String
        /// What the client was doing ("running a SQL statement", or the caller's label).
        public var operation: String
        /// The gRPC status (e.g. `internal error`, `invalid argument`).
        public var status: String
        /// Spark's error class (`TABLE_OR_VIEW_NOT_FOUND`, `ARITHMETIC_OVERFLOW`…), when the server sent one.
        public var errorClass: String?
        /// The SQLSTATE, when the server sent one.
        public var sqlState: String?
        /// The JVM exception class (`org.apache.spark.sql.AnalysisException`…), when the server sent one.
        public var exceptionClass: String?
        /// The server's message as printed: first line only, quoted literals removed (see ``SparkError``).
        public var message: String
        /// The server's whole message, untouched; may quote values from the data. Never printed by this type.
        public var serverMessage: String

        /// Creates a server failure; `message` is derived from `serverMessage`.
        public init(url: String, operation: String, status: String, errorClass: String?, sqlState: String?,
                    exceptionClass: String?, serverMessage: String) {
            self.url = url
            self.operation = operation
            self.status = status
            self.errorClass = errorClass
            self.sqlState = sqlState
            self.exceptionClass = exceptionClass
            self.serverMessage = serverMessage
            self.message = SparkError.printableServerMessage(serverMessage)
        }
    }

    /// A sentence naming what was being done, where, and what went wrong.
    public var description: String {
        switch self {
        case .invalidURL(let text, let reason):
            return "invalid Spark Connect URL '\(text)': \(reason)"
        case .unreachable(let url, let operation, let detail):
            return "could not reach the Spark Connect server at \(url) while \(operation): \(detail). "
                + "Is the server running there? (The local cluster starts with `bash .ci/spark-cluster start`.)"
        case .connectionLost(let url, let operation, let detail):
            return "lost the connection to the Spark Connect server at \(url) while \(operation): \(detail). "
                + "The result was incomplete and has been discarded."
        case .server(let failure):
            var text = "the Spark server at \(failure.url) failed \(failure.operation): "
            if let errorClass = failure.errorClass, !failure.message.hasPrefix("[\(errorClass)]") {
                text += "[\(errorClass)] "
            }
            text += failure.message
            if let sqlState = failure.sqlState { text += " (SQLSTATE \(sqlState))" }
            return text
        case .timedOut(let url, let operation):
            return "the Spark Connect server at \(url) did not finish \(operation) in the time allowed"
        case .cancelled(let url, let operation):
            return "cancelled while \(operation) on the Spark Connect server at \(url)"
        case .stalled(let url, let operation, let seconds):
            return "the Spark Connect server at \(url) made no progress \(operation) for \(seconds) s (no task finished and no rows "
                + "came back), so the operation was interrupted. A driver that ran out of memory stops so: see the server's log "
                + "(.spark/logs/ for the local cluster) and its driver memory (PEERLENS_SPARK_DRIVER_MEMORY). If one task of "
                + "yours legitimately runs longer, raise the bound: PEERLENS_SPARK_STALL_SECONDS (\(SparkConnectClient.standardStallSeconds) s when unset)."
        case .protocolViolation(let url, let operation, let detail):
            return "the Spark Connect server at \(url) broke the protocol while \(operation): \(detail)"
        }
    }

    /// The server's message as PeerLens prints it: the first line (Spark appends the SQL text of the failing
    /// query after it, as `== SQL … ==` context), without the trailing `SQLSTATE: …` (printed separately), and
    /// with every single-quoted literal replaced by `'…'` (Spark quotes values from the data so).
    package static func printableServerMessage(_ message: String) -> String {
        var line = String(message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        if let sqlState = line.range(of: " SQLSTATE: ", options: .backwards) {
            line = String(line[..<sqlState.lowerBound])
        }
        var printable = ""
        var inLiteral = false
        for character in line {
            if character == "'" {
                printable.append(inLiteral ? "…'" : "'")
                inLiteral.toggle()
            } else if !inLiteral {
                printable.append(character)
            }
        }
        if inLiteral { printable += "…" }  // an unmatched quote: the rest was dropped
        return printable.trimmingTrailingWhitespace()
    }

    /// Maps an error of a gRPC call to the server at `url` made while `operation`.
    ///
    /// - Parameter receivedResponse: whether the server had already answered on this call; an unavailable
    ///   server before any answer is unreachable, after one the connection was lost.
    package static func from(_ error: any Error, url: String, operation: String, receivedResponse: Bool) -> SparkError {
        if let sparkError = error as? SparkError { return sparkError }
        if error is CancellationError { return .cancelled(url: url, operation: operation) }
        guard let rpcError = error as? RPCError else {
            if let runtimeError = error as? RuntimeError {
                return .unreachable(url: url, operation: operation, detail: runtimeError.message)
            }
            return receivedResponse
                ? .connectionLost(url: url, operation: operation, detail: String(describing: error))
                : .unreachable(url: url, operation: operation, detail: String(describing: error))
        }
        switch rpcError.code {
        case .unavailable:
            let detail = transportDetail(rpcError)
            return receivedResponse
                ? .connectionLost(url: url, operation: operation, detail: detail)
                : .unreachable(url: url, operation: operation, detail: detail)
        case .deadlineExceeded:
            return .timedOut(url: url, operation: operation)
        case .cancelled where !hasServerDetails(rpcError):
            return .cancelled(url: url, operation: operation)
        default:
            var errorClass: String?
            var sqlState: String?
            var exceptionClass: String?
            if let status = try? rpcError.unpackGoogleRPCStatus(),
               let info = status.details.lazy.compactMap(\.errorInfo).first {
                errorClass = info.metadata["errorClass"].flatMap { $0.isEmpty ? nil : $0 }
                sqlState = info.metadata["sqlState"].flatMap { $0.isEmpty ? nil : $0 }
                exceptionClass = info.reason.isEmpty ? nil : info.reason
            }
            return .server(ServerFailure(
                url: url, operation: operation, status: rpcError.code.description,
                errorClass: errorClass, sqlState: sqlState, exceptionClass: exceptionClass,
                serverMessage: rpcError.message))
        }
    }

    private static func hasServerDetails(_ error: RPCError) -> Bool {
        (try? error.unpackGoogleRPCStatus()) != nil
    }

    /// The transport's message and its innermost cause (e.g. "connection refused"), without gRPC's boilerplate.
    private static func transportDetail(_ error: RPCError) -> String {
        var detail = error.message
        var cause = error.cause
        var innermost: (any Error)?
        while let current = cause {
            innermost = current
            cause = (current as? RPCError)?.cause ?? (current as? RuntimeError)?.cause
        }
        if let innermost {
            let text = (innermost as? RPCError)?.message ?? (innermost as? RuntimeError)?.message
                ?? String(describing: innermost)
            if !detail.contains(text) { detail += " (\(text))" }
        }
        return detail
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
