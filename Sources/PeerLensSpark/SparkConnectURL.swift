// The address of a Spark Connect server, in Spark Connect's own URL form.

/// The address of a Spark Connect server: `sc://HOST[:PORT][/;NAME=VALUE;…]`, as Spark Connect clients write it.
///
/// The host is a name, an IPv4 address or a bracketed IPv6 address (`sc://[::1]:15002`); the port defaults to
/// 15002, Spark Connect's. Parameters follow the path as `;name=value` pairs. This client speaks plaintext HTTP/2
/// only, so `use_ssl=true` and `token` (which Spark Connect sends only over TLS) are refused, as is any parameter
/// it does not know; it understands:
/// - `user_id`: the user named in every request (default ``SparkConnectURL/defaultUserID``);
/// - `user_agent`: the client type reported to the server (default `peerlens`);
/// - `session_id`: a session to join, a UUID (default: a new one per client);
/// - `grpc_max_message_size`: the largest response message accepted, in bytes (default 128 MiB, as pyspark's).
public struct SparkConnectURL: Sendable, Hashable, CustomStringConvertible {
    /// Spark Connect's default port.
    public static let defaultPort = 15002
    /// The user named in requests when the URL names none.
    public static let defaultUserID = "peerlens"
    /// The largest response message accepted when the URL sets no `grpc_max_message_size` (pyspark's default).
    public static let defaultMaxMessageSize = 128 * 1024 * 1024

    /// The host as written, without the brackets of an IPv6 address.
    public let host: String
    /// The TCP port.
    public let port: Int
    /// The user named in every request (`user_id`).
    public let userID: String
    /// The client type reported to the server (`user_agent`).
    public let userAgent: String
    /// The session to join (`session_id`), lower-case; `nil` for a new session per client.
    public let sessionID: String?
    /// The largest response message accepted, in bytes (`grpc_max_message_size`).
    public let maxMessageSize: Int

    /// Whether the host is a bracketed IPv6 address.
    public var isIPv6: Bool { host.contains(":") }

    /// The URL in canonical form: `sc://HOST:PORT`, then the parameters that differ from the defaults, sorted.
    public var description: String {
        var text = "sc://\(isIPv6 ? "[\(host)]" : host):\(port)"
        var parameters: [String] = []
        if let sessionID { parameters.append("session_id=\(sessionID)") }
        if maxMessageSize != Self.defaultMaxMessageSize { parameters.append("grpc_max_message_size=\(maxMessageSize)") }
        if userAgent != "peerlens" { parameters.append("user_agent=\(userAgent)") }
        if userID != Self.defaultUserID { parameters.append("user_id=\(userID)") }
        if !parameters.isEmpty { text += "/;" + parameters.sorted().joined(separator: ";") }
        return text
    }

    /// Parses and validates a Spark Connect URL.
    ///
    /// - Throws: ``SparkError/invalidURL(_:reason:)`` naming what is wrong: another scheme, no host, a port that
    ///   is not a number in 1…65535, a malformed, repeated or unknown parameter, TLS or a token, a session id that
    ///   is not a UUID.
    public init(_ text: String) throws(SparkError) {
        func invalid(_ reason: String) -> SparkError { .invalidURL(text, reason: reason) }

        let scheme = "sc://"
        guard text.hasPrefix(scheme) else {
            if let schemeEnd = text.range(of: "://") {
                throw invalid("the scheme is '\(text[..<schemeEnd.lowerBound])', not 'sc' (write sc://HOST:PORT)")
            }
            throw invalid("a Spark Connect URL starts with sc:// (write sc://HOST:PORT)")
        }
        let rest = text.dropFirst(scheme.count)
        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }

        // Host and port.
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw invalid("the IPv6 address has no closing ']'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":") else { throw invalid("expected ':PORT' after the IPv6 address") }
                portText = afterHost.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ ($0.isASCII && $0.isHexDigit) || $0 == ":" || $0 == "." }) else {
                throw invalid("'\(host)' is not an IPv6 address")
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                throw invalid("the host has more than one ':' (write an IPv6 address in brackets: sc://[::1]:15002)")
            }
            host = parts[0]
            if parts.count == 2 { portText = parts[1] }
            guard !host.isEmpty else { throw invalid("no host (write sc://HOST:PORT)") }
            guard host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" || $0 == "_" }) else {
                throw invalid("the host '\(host)' has a character other than letters, digits, '.', '-' and '_'")
            }
        }
        var port = Self.defaultPort
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(portText), (1...65535).contains(value) else {
                throw invalid("the port '\(portText)' is not a number from 1 to 65535")
            }
            port = value
        }

        // Parameters: the path is empty, "/" or ";name=value;…".
        var parameters: [String: String] = [:]
        if !path.isEmpty {
            guard path.hasPrefix(";") else {
                throw invalid("the path must be empty or start with ';' parameters (sc://HOST:PORT/;name=value)")
            }
            for pair in path.dropFirst().split(separator: ";", omittingEmptySubsequences: true) {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard nameValue.count == 2, !nameValue[0].isEmpty else {
                    throw invalid("the parameter '\(pair)' is not name=value")
                }
                let name = String(nameValue[0])
                guard parameters[name] == nil else { throw invalid("the parameter '\(name)' is given twice") }
                parameters[name] = String(nameValue[1])
            }
        }
        var userID = Self.defaultUserID
        var userAgent = "peerlens"
        var sessionID: String?
        var maxMessageSize = Self.defaultMaxMessageSize
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "user_id":
                guard !value.isEmpty else { throw invalid("user_id is empty") }
                userID = value
            case "user_agent":
                guard !value.isEmpty else { throw invalid("user_agent is empty") }
                userAgent = value
            case "session_id":
                guard Self.isUUID(value) else { throw invalid("session_id '\(value)' is not a UUID") }
                sessionID = value.lowercased()
            case "grpc_max_message_size":
                guard let size = Int(value), size > 0 else {
                    throw invalid("grpc_max_message_size '\(value)' is not a positive number of bytes")
                }
                maxMessageSize = size
            case "use_ssl":
                guard value.lowercased() == "false" else {
                    throw invalid("use_ssl=\(value): this client speaks plaintext HTTP/2 only (use a TLS-terminating proxy)")
                }
            case "token":
                throw invalid("token: Spark Connect sends tokens over TLS only, which this client does not speak")
            default:
                throw invalid("unknown parameter '\(name)' (known: user_id, user_agent, session_id, grpc_max_message_size, use_ssl=false)")
            }
        }
        self.host = String(host)
        self.port = port
        self.userID = userID
        self.userAgent = userAgent
        self.sessionID = sessionID
        self.maxMessageSize = maxMessageSize
    }

    /// Whether `text` is a UUID in its 8-4-4-4-12 hexadecimal form (any case).
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// Whether the host is an IPv4 address in dotted-decimal form.
    var isIPv4: Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy({ $0.isASCII && $0.isNumber }) && (Int(part) ?? 256) <= 255
        }
    }
}
