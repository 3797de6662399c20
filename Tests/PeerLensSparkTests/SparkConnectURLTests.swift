import Testing
@testable import PeerLensSpark

@Suite("Spark Connect URLs")
struct SparkConnectURLTests {
    struct Valid: Sendable, CustomStringConvertible {
        let text: String
        let host: String
        let port: Int
        let canonical: String
        var description: String { text }
    }

    @Test(arguments: [
        Valid(text: "sc://127.0.0.1:15002", host: "127.0.0.1", port: 15002, canonical: "sc://127.0.0.1:15002"),
        Valid(text: "sc://localhost", host: "localhost", port: 15002, canonical: "sc://localhost:15002"),
        Valid(text: "sc://spark-master.example:443/", host: "spark-master.example", port: 443,
              canonical: "sc://spark-master.example:443"),
        Valid(text: "sc://[::1]:15003", host: "::1", port: 15003, canonical: "sc://[::1]:15003"),
        Valid(text: "sc://[::1]", host: "::1", port: 15002, canonical: "sc://[::1]:15002"),
        Valid(text: "sc://h:1/;user_id=analyst;use_ssl=false", host: "h", port: 1,
              canonical: "sc://h:1/;user_id=analyst"),
        Valid(text: "sc://h:65535/;session_id=0F8FAD5B-D9CB-469F-A165-70867728950E;grpc_max_message_size=1024",
              host: "h", port: 65535,
              canonical: "sc://h:65535/;grpc_max_message_size=1024;session_id=0f8fad5b-d9cb-469f-a165-70867728950e"),
    ])
    func parsesValidURLs(_ valid: Valid) throws {
        let url = try SparkConnectURL(valid.text)
        #expect(url.host == valid.host)
        #expect(url.port == valid.port)
        #expect(url.description == valid.canonical)
        #expect(try SparkConnectURL(url.description) == url)
    }

    @Test func defaultsAndParameters() throws {
        let plain = try SparkConnectURL("sc://127.0.0.1")
        #expect(plain.port == SparkConnectURL.defaultPort)
        #expect(plain.userID == "peerlens")
        #expect(plain.userAgent == "peerlens")
        #expect(plain.sessionID == nil)
        #expect(plain.maxMessageSize == 128 * 1024 * 1024)
        #expect(plain.isIPv4)
        #expect(!plain.isIPv6)

        let custom = try SparkConnectURL("sc://db.internal:7/;user_id=u1;user_agent=lens-test;grpc_max_message_size=2048")
        #expect(custom.userID == "u1")
        #expect(custom.userAgent == "lens-test")
        #expect(custom.maxMessageSize == 2048)
        #expect(!custom.isIPv4)
        #expect(try !SparkConnectURL("sc://256.1.1.1").isIPv4)
        #expect(try !SparkConnectURL("sc://1.2.3").isIPv4)
    }

    struct Invalid: Sendable, CustomStringConvertible {
        let text: String
        let reason: String
        var description: String { text }
    }

    @Test(arguments: [
        Invalid(text: "http://127.0.0.1:15002", reason: "the scheme is 'http', not 'sc'"),
        Invalid(text: "127.0.0.1:15002", reason: "starts with sc://"),
        Invalid(text: "sc://", reason: "no host"),
        Invalid(text: "sc://:15002", reason: "no host"),
        Invalid(text: "sc://host:0", reason: "the port '0' is not a number from 1 to 65535"),
        Invalid(text: "sc://host:65536", reason: "the port '65536'"),
        Invalid(text: "sc://host:+15", reason: "the port '+15'"),
        Invalid(text: "sc://host:abc", reason: "the port 'abc'"),
        Invalid(text: "sc://host:", reason: "the port ''"),
        Invalid(text: "sc://::1:15002", reason: "IPv6 address in brackets"),
        Invalid(text: "sc://[::1", reason: "no closing ']'"),
        Invalid(text: "sc://[::1]15002", reason: "expected ':PORT'"),
        Invalid(text: "sc://[zz]:1", reason: "'zz' is not an IPv6 address"),
        Invalid(text: "sc://ho st:1", reason: "has a character other than"),
        Invalid(text: "sc://host:1/path", reason: "the path must be empty or start with ';'"),
        Invalid(text: "sc://host/;user_id", reason: "'user_id' is not name=value"),
        Invalid(text: "sc://host/;user_id=a;user_id=b", reason: "'user_id' is given twice"),
        Invalid(text: "sc://host/;user_id=", reason: "user_id is empty"),
        Invalid(text: "sc://host/;session_id=abc", reason: "session_id 'abc' is not a UUID"),
        Invalid(text: "sc://host/;grpc_max_message_size=-1", reason: "not a positive number of bytes"),
        Invalid(text: "sc://host/;use_ssl=true", reason: "plaintext HTTP/2 only"),
        Invalid(text: "sc://host/;token=abc", reason: "over TLS only"),
        Invalid(text: "sc://host/;colour=blue", reason: "unknown parameter 'colour'"),
    ])
    func refusesInvalidURLs(_ invalid: Invalid) {
        #expect {
            try SparkConnectURL(invalid.text)
        } throws: { error in
            guard case .invalidURL(let text, let reason) = error as? SparkError else { return false }
            return text == invalid.text && reason.contains(invalid.reason)
                && String(describing: error).hasPrefix("invalid Spark Connect URL '\(invalid.text)': ")
        }
    }

    @Test func recognisesUUIDs() {
        #expect(SparkConnectURL.isUUID("0f8fad5b-d9cb-469f-a165-70867728950e"))
        #expect(!SparkConnectURL.isUUID("0f8fad5b-d9cb-469f-a165-70867728950"))
        #expect(!SparkConnectURL.isUUID("0f8fad5bd9cb469fa16570867728950e"))
        #expect(!SparkConnectURL.isUUID("0f8fad5b-d9cb-469f-a165-70867728950g"))
    }
}
