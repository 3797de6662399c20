// A Spark Connect client over gRPC (HTTP/2, plaintext): runs SQL statements or plans and returns Arrow batches.

import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
import SparkConnectProtocol
import Synchronization

/// A value bound to a named parameter of a SQL statement (`:name` in the statement), sent as a typed literal so that
/// no value is ever spliced into SQL text.
public enum SparkLiteral: Sendable, Equatable {
    /// A 64-bit integer (Spark `BIGINT`).
    case int64(Int64)
    /// A 32-bit integer (Spark `INT`).
    case int32(Int32)
    /// A double (Spark `DOUBLE`).
    case double(Double)
    /// A UTF-8 string (Spark `STRING`).
    case string(String)
    /// A boolean (Spark `BOOLEAN`).
    case boolean(Bool)
    /// SQL `NULL` of a type (Spark types its nulls: a `NULL` compared with a `BIGINT` column is a `BIGINT` null).
    case null(SparkValueType)

    var protocolLiteral: Spark_Connect_Expression.Literal {
        var literal = Spark_Connect_Expression.Literal()
        switch self {
        case .int64(let value): literal.literalType = .long(value)
        case .int32(let value): literal.literalType = .integer(value)
        case .double(let value): literal.literalType = .double(value)
        case .string(let value): literal.literalType = .string(value)
        case .boolean(let value): literal.literalType = .boolean(value)
        case .null(let type): literal.literalType = .null(type.protocolType)
        }
        return literal
    }

    /// The literal as an expression (what `SQL.named_arguments` holds).
    var protocolExpression: Spark_Connect_Expression {
        var expression = Spark_Connect_Expression()
        expression.literal = protocolLiteral
        return expression
    }
}

/// The type of a ``SparkLiteral/null(_:)``.
public enum SparkValueType: Sendable, Equatable {
    /// `BIGINT`.
    case int64
    /// `INT`.
    case int32
    /// `DOUBLE`.
    case double
    /// `STRING`.
    case string
    /// `BOOLEAN`.
    case boolean

    var protocolType: Spark_Connect_DataType {
        var type = Spark_Connect_DataType()
        switch self {
        case .int64: type.long = .init()
        case .int32: type.integer = .init()
        case .double: type.double = .init()
        case .string: type.string = .init()
        case .boolean: type.boolean = .init()
        }
        return type
    }
}

/// A session on a Spark Connect server: runs Spark SQL statements (or plans built in this package) and returns their
/// results as Arrow IPC batches, reporting progress on the way and failing with ``SparkError``.
///
/// A client exists inside ``withConnection(to:_:)``, which opens the HTTP/2 connection, hands the client to its body,
/// and releases the server-side session and closes the connection when the body returns. Every request names the
/// client's session (``sessionID``: the URL's `session_id` or a new UUID) and user (the URL's `user_id`), and the
/// server-side session the server reported, so that a restarted server is detected rather than silently answering
/// in a fresh session. Calls may run concurrently; results are collected whole (reattachable execution is not used:
/// a connection lost mid-operation fails it).
public final class SparkConnectClient: Sendable {
    /// The server.
    public let url: SparkConnectURL
    /// The client's session id (lower-case UUID).
    public let sessionID: String

    private let service: Spark_Connect_SparkConnectService.Client<HTTP2ClientTransport.Posix>
    private let observedServerSideSessionID = Mutex<String?>(nil)
    private let userContext: Spark_Connect_UserContext
    private let clientType: String
    private let progressObserver: (@Sendable (_ operation: String, _ progress: SparkProgress) -> Void)?
    /// How long an operation may go without progress (``SparkError/stalled(url:operation:seconds:)``); nil: for ever.
    private let stallLimit: Duration?

    /// The bound on an operation without progress when `PEERLENS_SPARK_STALL_SECONDS` is not set: 15 minutes.
    public static let standardStallSeconds = 900

    /// How long an operation may go without progress by default: `PEERLENS_SPARK_STALL_SECONDS` when set to a
    /// positive number of seconds, else `standardStallSeconds`. Progress is a task finished, a stage started, or
    /// rows received: a cluster whose tasks each take seconds to minutes shows some every few seconds.
    public static var defaultStallLimit: Duration {
        if let text = ProcessInfo.processInfo.environment["PEERLENS_SPARK_STALL_SECONDS"], let seconds = Int(text), seconds > 0 {
            return .seconds(seconds)
        }
        return .seconds(standardStallSeconds)
    }

    private init(url: SparkConnectURL, grpcClient: GRPCClient<HTTP2ClientTransport.Posix>,
                 progressObserver: (@Sendable (_ operation: String, _ progress: SparkProgress) -> Void)?, stallLimit: Duration?) {
        self.url = url
        self.progressObserver = progressObserver
        self.stallLimit = stallLimit
        self.sessionID = url.sessionID ?? UUID().uuidString.lowercased()
        self.service = Spark_Connect_SparkConnectService.Client(wrapping: grpcClient)
        var user = Spark_Connect_UserContext()
        user.userID = url.userID
        user.userName = url.userID
        self.userContext = user
        self.clientType = url.userAgent
    }

    /// Connects to the server at `url`, runs `body` with a client, then releases the session and closes the
    /// connection (also when `body` throws).
    ///
    /// Nothing is sent before `body` makes its first call: an unreachable server shows as
    /// ``SparkError/unreachable(url:operation:detail:)`` from that call. Errors `body` throws pass through unchanged.
    ///
    /// - Parameters:
    ///   - url: The server.
    ///   - progress: Called with every progress report of every operation the client runs, and the operation's
    ///     label (as in errors), from the connection's thread: how a command shows its long work.
    ///   - stallLimit: How long an operation may go without progress before it is interrupted and fails with
    ///     ``SparkError/stalled(url:operation:seconds:)`` (nil: no limit).
    ///   - body: The work, given the client.
    public static func withConnection<Result: Sendable>(
        to url: SparkConnectURL,
        progress: (@Sendable (_ operation: String, _ progress: SparkProgress) -> Void)? = nil,
        stallLimit: Duration? = defaultStallLimit,
        _ body: (SparkConnectClient) async throws -> Result
    ) async throws -> Result {
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(
                target: target(of: url), transportSecurity: .plaintext, config: .defaults)
        } catch {
            throw SparkError.from(error, url: url.description, operation: "connecting", receivedResponse: false)
        }
        do {
            return try await withGRPCClient(transport: transport) { grpcClient in
                let client = SparkConnectClient(url: url, grpcClient: grpcClient, progressObserver: progress, stallLimit: stallLimit)
                do {
                    let result = try await body(client)
                    await client.releaseSession()
                    return result
                } catch {
                    switch error {
                    case SparkError.unreachable, SparkError.connectionLost, SparkError.cancelled, SparkError.stalled:
                        break  // nothing to release, or nobody waiting for it
                    default:
                        await client.releaseSession()
                    }
                    throw error
                }
            }
        } catch let error as RuntimeError {
            // The transport itself failed (not one call): no connection could be kept.
            throw SparkError.from(error, url: url.description, operation: "connecting", receivedResponse: false)
        }
    }

    private static func target(of url: SparkConnectURL) -> any ResolvableTarget {
        if url.isIPv4 { return .ipv4(address: url.host, port: url.port) }
        if url.isIPv6 { return .ipv6(address: url.host, port: url.port) }
        return .dns(host: url.host, port: url.port)
    }

    /// Call options: fail at once when the server cannot be reached (rather than waiting for it to appear), and
    /// accept messages up to the URL's `grpc_max_message_size` (an Arrow batch is up to 4 MiB by Spark's default,
    /// and its response message a little more).
    ///
    /// Both limits are set because grpc-swift-nio-transport (2.9.2) bounds what a *client* reads with
    /// `maxRequestMessageBytes` (its deframer's payload limit, 4 MiB when unset) and does not read
    /// `maxResponseMessageBytes`: with only the latter, a response over 4 MiB failed as "resource exhausted".
    func callOptions(timeout: Duration? = nil) -> CallOptions {
        var options = CallOptions.defaults
        options.waitForReady = false
        options.maxRequestMessageBytes = url.maxMessageSize
        options.maxResponseMessageBytes = url.maxMessageSize
        options.timeout = timeout
        return options
    }

    // MARK: Running SQL and plans

    /// Runs one Spark SQL statement and returns its result's Arrow batches.
    ///
    /// A query returns its rows; a command (`CREATE TABLE`, `INSERT`, `SET`…) runs when the statement is executed
    /// and returns what Spark returns for it (often no rows). Values go in `arguments`, bound to `:name` markers,
    /// never into the SQL text.
    ///
    /// - Parameters:
    ///   - statement: One SQL statement.
    ///   - arguments: Values for the statement's named parameter markers.
    ///   - label: What the statement does, for errors ("counting messages per week"); default "running a SQL
    ///     statement". Never include values from the data.
    ///   - onProgress: Called with each progress report while the statement runs (from the connection's thread).
    /// - Throws: ``SparkError``.
    public func sql(
        _ statement: String,
        arguments: [String: SparkLiteral] = [:],
        label: String? = nil,
        onProgress: (@Sendable (SparkProgress) -> Void)? = nil
    ) async throws(SparkError) -> SparkQueryResult {
        try await execute(Self.sqlPlan(statement, arguments: arguments),
                          operation: label ?? "running a SQL statement", onProgress: onProgress)
    }

    /// The plan of one SQL statement: a `SQL` relation as the plan's root, its arguments as named literal
    /// expressions (`named_arguments`; the older `args` map is deprecated since Spark 3.5).
    package static func sqlPlan(_ statement: String, arguments: [String: SparkLiteral]) -> Spark_Connect_Plan {
        var sql = Spark_Connect_SQL()
        sql.query = statement
        sql.namedArguments = arguments.mapValues(\.protocolExpression)
        var relation = Spark_Connect_Relation()
        relation.sql = sql
        var plan = Spark_Connect_Plan()
        plan.root = relation
        return plan
    }

    /// Registers rows sent from here, an Arrow IPC stream, as a temporary view of this session (a
    /// `LocalRelation` under `CREATE OR REPLACE TEMPORARY VIEW name`), for SQL statements to read: how client data
    /// enters Spark.
    ///
    /// The rows travel inside one request, which the URL's `grpc_max_message_size` and the server's
    /// `spark.connect.grpc.maxInboundMessageSize` (128 MiB by default) bound, and the driver holds them in memory:
    /// callers send large data in parts of a few MiB. The view lasts as long as the session (a restarted server
    /// has lost it, which the next call reports).
    ///
    /// - Parameters:
    ///   - name: The view's name (an identifier: letters, digits and `_`).
    ///   - arrowStream: The rows: an Arrow IPC stream (schema, batches, end marker), e.g. from `ArrowStream.encode`.
    ///   - label: What the upload is, for errors; never values from the data.
    /// - Throws: ``SparkError``.
    public func createTemporaryView(_ name: String, arrowStream: [UInt8], label: String? = nil) async throws(SparkError) {
        var local = Spark_Connect_LocalRelation()
        local.data = Data(arrowStream)
        var relation = Spark_Connect_Relation()
        relation.localRelation = local
        var view = Spark_Connect_CreateDataFrameViewCommand()
        view.input = relation
        view.name = name
        view.isGlobal = false
        view.replace = true
        var command = Spark_Connect_Command()
        command.createDataframeView = view
        var plan = Spark_Connect_Plan()
        plan.command = command
        _ = try await execute(plan, operation: label ?? "sending rows for the temporary view \(name)")
    }

    /// The `ExecutePlanRequest` for `plan` in this session, as operation `operationID`.
    package func executeRequest(_ plan: Spark_Connect_Plan, operationID: String) -> Spark_Connect_ExecutePlanRequest {
        var request: Spark_Connect_ExecutePlanRequest = sessionRequest()
        request.operationID = operationID
        request.plan = plan
        return request
    }

    /// A request of this session: its session id, user and client type, and the server-side session the server
    /// reported so far (so that a server that lost the session refuses the request rather than starting afresh).
    private func sessionRequest<Request: SessionRequest>() -> Request {
        var request = Request()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        if let observed = observedServerSideSessionID.withLock({ $0 }) {
            request.clientObservedServerSideSessionID = observed
        }
        return request
    }

    /// Executes a plan (a relation, whose rows come back, or a command) and collects its Arrow batches.
    ///
    /// - Parameters:
    ///   - operation: What is being done, for errors ("running a SQL statement").
    ///   - onProgress: Called with each progress report.
    /// - Throws: ``SparkError``.
    package func execute(
        _ plan: Spark_Connect_Plan,
        operation: String,
        onProgress: (@Sendable (SparkProgress) -> Void)? = nil
    ) async throws(SparkError) -> SparkQueryResult {
        let operationID = UUID().uuidString.lowercased()
        let request = executeRequest(plan, operationID: operationID)
        let urlText = url.description
        let sessionID = sessionID
        let observer = progressObserver
        let reporting: (@Sendable (SparkProgress) -> Void)? = observer == nil ? onProgress : { @Sendable progress in
            onProgress?(progress)
            observer?(operation, progress)
        }
        let collected: (result: SparkQueryResult, serverSideSessionID: String?)
        let watch = ProgressWatch()
        let stallLimit = stallLimit, service = service, options = callOptions()
        do {
            collected = try await withThrowingTaskGroup(of: (result: SparkQueryResult, serverSideSessionID: String?).self) { group in
                group.addTask {
                    try await service.executePlan(request, options: options) { response in
                        var collector = ExecutePlanCollector(url: urlText, operation: operation, sessionID: sessionID,
                                                             operationID: operationID, onProgress: reporting)
                        do {
                            for try await message in response.messages {
                                try collector.add(message)
                                watch.saw(message)
                            }
                            return (try collector.finish(), collector.serverSideSessionID)
                        } catch {
                            throw SparkError.from(error, url: urlText, operation: operation,
                                                  receivedResponse: collector.responseCount > 0)
                        }
                    }
                }
                // The watchdog, from the request on: a server that lost the operation keeps the stream open and
                // silent (or repeating the same progress) for ever. It ends only by throwing; cancelled once the
                // result is in.
                if let stallLimit {
                    group.addTask {
                        while true {
                            try await Task.sleep(for: min(stallLimit / 4, .seconds(5)))
                            if watch.idle >= stallLimit {
                                throw SparkError.stalled(url: urlText, operation: operation, seconds: Int(stallLimit.components.seconds))
                            }
                        }
                    }
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
        } catch {
            let failure = SparkError.from(error, url: urlText, operation: operation, receivedResponse: false)
            if case .stalled = failure { await interrupt(operationID: operationID) }
            throw failure
        }
        try observe(serverSideSessionID: collected.serverSideSessionID, operation: operation)
        return collected.result
    }

    /// Asks the server to interrupt operation `operationID` of this session; best effort (the server may be the
    /// reason it has to be asked).
    private func interrupt(operationID: String) async {
        var request = Spark_Connect_InterruptRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        request.interruptType = .operationID
        request.operationID = operationID
        _ = try? await service.interrupt(request, options: callOptions(timeout: .seconds(10)))
    }

    /// Records the server-side session the server reported; a different one than before means the server lost
    /// this session (it restarted), and the work done in it so far (temporary views, settings) is gone.
    private func observe(serverSideSessionID: String?, operation: String) throws(SparkError) {
        guard let serverSideSessionID, !serverSideSessionID.isEmpty else { return }
        let previous = observedServerSideSessionID.withLock { observed -> String? in
            let previous = observed
            if previous == nil { observed = serverSideSessionID }
            return previous
        }
        if let previous, previous != serverSideSessionID {
            throw SparkError.protocolViolation(
                url: url.description, operation: operation,
                detail: "the server-side session changed from \(previous) to \(serverSideSessionID): the server restarted and this session's state is gone")
        }
    }

    // MARK: Session configuration

    /// Sets Spark SQL configuration values for this session (e.g. `spark.sql.session.timeZone`).
    ///
    /// - Throws: ``SparkError`` (a key the server refuses to set fails with the server's error class).
    public func setConfiguration(_ values: [String: String]) async throws(SparkError) {
        var set = Spark_Connect_ConfigRequest.Set()
        set.pairs = values.sorted { $0.key < $1.key }.map { key, value in
            var pair = Spark_Connect_KeyValue()
            pair.key = key
            pair.value = value
            return pair
        }
        var operation = Spark_Connect_ConfigRequest.Operation()
        operation.set = set
        _ = try await config(operation, label: "setting \(values.keys.sorted().joined(separator: ", "))")
    }

    /// The session's values of the given configuration keys; `nil` for a key without a value.
    ///
    /// - Throws: ``SparkError``.
    public func configuration(_ keys: [String]) async throws(SparkError) -> [String: String?] {
        var getOption = Spark_Connect_ConfigRequest.GetOption()
        getOption.keys = keys
        var operation = Spark_Connect_ConfigRequest.Operation()
        operation.getOption = getOption
        let response = try await config(operation, label: "reading \(keys.joined(separator: ", "))")
        var values: [String: String?] = [:]
        for pair in response.pairs {
            values[pair.key] = pair.hasValue ? .some(pair.value) : .some(nil)
        }
        return values
    }

    private func config(_ operation: Spark_Connect_ConfigRequest.Operation, label: String)
        async throws(SparkError) -> Spark_Connect_ConfigResponse {
        var request: Spark_Connect_ConfigRequest = sessionRequest()
        request.operation = operation
        let response: Spark_Connect_ConfigResponse
        do {
            response = try await service.config(request, options: callOptions(timeout: .seconds(120)))
        } catch {
            throw SparkError.from(error, url: url.description, operation: label, receivedResponse: false)
        }
        try observe(serverSideSessionID: response.serverSideSessionID, operation: label)
        return response
    }

    /// Asks the server to drop this session's state; best effort (the server also expires idle sessions).
    private func releaseSession() async {
        var request = Spark_Connect_ReleaseSessionRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        _ = try? await service.releaseSession(request, options: callOptions(timeout: .seconds(10)))
    }
}

/// A request that names its session the same way: the client's session id, user and client type, and the server-side
/// session the client has seen (every request of the protocol but `ReleaseSession`, which has no such field).
protocol SessionRequest {
    init()
    var sessionID: String { get set }
    var userContext: Spark_Connect_UserContext { get set }
    var clientType: String { get set }
    var clientObservedServerSideSessionID: String { get set }
}

extension Spark_Connect_ExecutePlanRequest: SessionRequest {}
extension Spark_Connect_ConfigRequest: SessionRequest {}

/// When an operation last made progress: a response other than a progress report equal to the one before (a task
/// finished, a stage started, a batch of rows arrived, the result's end).
final class ProgressWatch: Sendable {
    private let state = Mutex<(last: ContinuousClock.Instant, progress: Spark_Connect_ExecutePlanResponse.ExecutionProgress?)>((.now, nil))

    /// Notes a response.
    func saw(_ response: Spark_Connect_ExecutePlanResponse) {
        state.withLock { state in
            if case .executionProgress(let progress) = response.responseType {
                // A report repeated unchanged (the server reports at intervals) is no progress.
                guard progress != state.progress else { return }
                state.progress = progress
            }
            state.last = .now
        }
    }

    /// The time since the last progress.
    var idle: Duration { ContinuousClock.now - state.withLock { $0.last } }
}
