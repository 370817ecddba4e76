import CGSL

/// An error reported by GSL, converted from its integer status code in one place.
///
/// `GSL.configure()` turns GSL's abort-on-error handler off (gsl_set_error_handler_off, see
/// gsl_errno.h), so GSL functions return codes (or NaN) that land here instead of aborting.
public struct GSLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The gsl_errno.h status code (e.g. GSL_EDOM = 1).
    public let code: Int32
    /// The function or operation that failed.
    public let context: String

    /// Wraps a GSL status code.
    public init(code: Int32, context: String) { self.code = code; self.context = context }

    public var description: String {
        let reason = gsl_strerror(code).map { String(cString: $0) } ?? "unknown error"
        return "GSL error \(code) in \(context): \(reason)"
    }

    /// Throws a `GSLError` unless `status` is GSL_SUCCESS.
    public static func check(_ status: Int32, _ context: @autoclosure () -> String) throws(GSLError) {
        if status != GSL_SUCCESS { throw GSLError(code: status, context: context()) }
    }
}

/// Process-wide GSL set-up; idempotent and safe to call from any thread.
public enum GSL {
    /// Turns the abort-on-error handler off. Called by every `RandomStream` and statistics call.
    @inlinable public static func configure() { _ = configured }
    @usableFromInline static let configured: Bool = { cgsl_disable_abort(); return true }()
}
