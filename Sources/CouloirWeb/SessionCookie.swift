import HTTPTypes
public import Hummingbird

/// The session cookie, one for the JSON API and the pages: HttpOnly (no script reads it),
/// SameSite=Strict (no other site sends it), and Secure when the server is set up for TLS
/// or a proxy says it was reached over TLS.
public enum SessionCookie {
    public static let name = "couloir_session"

    /// The cookie holding `value` for `maxAge` seconds (0 ends it), for `request`.
    public static func make(_ value: String, maxAge: Int, for request: Request, secure configured: Bool) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: configured || behindTLS(request),
            httpOnly: true, sameSite: .strict)
    }

    /// Whether the request reached a proxy over TLS.
    static func behindTLS(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
