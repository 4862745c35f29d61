import AsyncHTTPClient
import NIOCore

/// A session of the web pages, as a browser opens one.
enum PageSession {
    /// Signs `user` in through the sign-in page, as a browser does; the session cookie.
    static func signIn(_ base: String, _ user: (login: String, password: String))
        async throws -> String
    {
        var request = HTTPClientRequest(url: base + "/sign-in")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "sec-fetch-site", value: "same-origin")
        let body =
            "login=\(user.login)&password="
            + (user.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        request.body = .bytes(ByteBuffer(string: body))
        // The answer itself carries the cookie: a client of its own does not follow it.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let once = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let response: HTTPClientResponse
        do {
            response = try await once.execute(request, timeout: .seconds(30))
            try await once.shutdown()
        } catch {
            try? await once.shutdown()
            throw error
        }
        let cookie = response.headers["set-cookie"].first?.split(separator: ";").first.map(String.init)
        guard response.status == .seeOther, let cookie else {
            throw BenchError("signing in answered \(response.status)")
        }
        return cookie
    }
}
