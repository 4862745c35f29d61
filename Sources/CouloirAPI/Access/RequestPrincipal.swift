public import CouloirDomain

/// The principal the request being answered acts for, set by the server's
/// authentication before the API's handlers run.
public enum RequestPrincipal {
    @TaskLocal public static var current: Principal?

    /// The current principal; the request is refused as unauthenticated without one.
    static func require() throws -> Principal {
        guard let current else { throw Unauthenticated() }
        return current
    }
}

/// No valid credentials came with the request.
struct Unauthenticated: Error, CustomStringConvertible {
    var description: String {
        "This request needs a valid access token (Authorization: Bearer …) or a session."
    }
}
