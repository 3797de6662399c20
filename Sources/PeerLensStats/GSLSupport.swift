import CGSL

/// An error reported by GSL, or an input that GSL would have accepted silently
/// but that has no meaningful result.
public struct GSLError: Error, Sendable, CustomStringConvertible {
    /// What PeerLens was computing when GSL failed, e.g. `"Cholesky factorisation in logistic regression"`.
    public let operation: String
    /// The GSL status code (`GSL_EDOM`, `GSL_ESING`, …).
    public let status: Int32
    /// GSL's own text for `status`.
    public var reason: String { String(cString: gsl_strerror(status)) }

    /// A sentence a person understands.
    public var description: String { "\(operation) failed: \(reason) (GSL status \(status))" }

    /// Creates an error for `status` raised while performing `operation`.
    public init(operation: String, status: Int32) {
        self.operation = operation
        self.status = status
    }
}

/// Turns off GSL's default error handler, which calls `abort()`, exactly once
/// per process. Every entry point that calls GSL goes through `gslCall`, which
/// calls this first.
enum GSLRuntime {
    static let installed: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Runs a GSL routine, converting a non-zero status into `GSLError`.
    @inline(__always)
    static func call(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws(GSLError) {
        _ = installed
        let status = body()
        if status != GSL_SUCCESS {
            throw GSLError(operation: operation(), status: status)
        }
    }
}

extension GSLRuntime {
    /// Calls `body` with GSL views of the linear system A·x = b over the arrays themselves: `a` (rows × columns,
    /// row-major), `b` (rows) and `x` (columns), each writable in place. Returns `body`'s GSL status.
    static func withSystem(_ a: inout [Double], rows: Int, columns: Int, _ b: inout [Double], _ x: inout [Double],
                           _ body: (UnsafeMutablePointer<gsl_matrix>, UnsafeMutablePointer<gsl_vector>,
                                    UnsafeMutablePointer<gsl_vector>) -> Int32) -> Int32 {
        a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                x.withUnsafeMutableBufferPointer { xp in
                    var matrix = gsl_matrix_view_array(ap.baseAddress, rows, columns)
                    var rhs = gsl_vector_view_array(bp.baseAddress, rows)
                    var solution = gsl_vector_view_array(xp.baseAddress, columns)
                    return body(&matrix.matrix, &rhs.vector, &solution.vector)
                }
            }
        }
    }
}
