import CouloirDomain
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders a page's view through its template inside the layout, with what every page
/// shows: the catalogue (`t`), the language and its direction, the language switch, who
/// is signed in and the form token.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let catalogues: [Language: Catalogue]

    static func bundled() async throws -> PageRenderer {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw CatalogueError.missing(.en)
        }
        return PageRenderer(
            library: try await MustacheLibrary(directory: directory), catalogues: try Catalogue.bundled())
    }

    /// The page, as HTML with the headers every page carries.
    func render(
        _ template: String, title: String, view: [String: Any], visit: Visit, status: HTTPResponse.Status = .ok
    ) -> Response {
        var context = view
        context["t"] = visit.catalogue.tree
        context["lang"] = visit.language.rawValue
        context["dir"] = visit.language.direction
        context["title"] = title
        context["languages"] = Language.allCases.map { language -> [String: Any] in
            [
                "code": language.rawValue, "name": visit.text("language.\(language.rawValue)"),
                "link": visit.languageLink(language), "current": language == visit.language,
            ]
        }
        if let signedIn = visit.signedIn {
            var user: [String: Any] = [
                "login": signedIn.user.login, "role": visit.text("role.\(signedIn.user.role.rawValue)"),
                "csrf": signedIn.session.csrfToken,
            ]
            if signedIn.rights.any { user["adminLink"] = "/admin" }
            context["user"] = user
        }
        let html = library.render(context, withTemplate: template) ?? ""
        return Self.html(html, status: status)
    }

    /// An HTML answer with the page headers: a policy allowing only this server, never
    /// framed, never cached, no referrer sent on.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        PageHeaders.apply(to: &headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// The headers of every page and of its assets.
enum PageHeaders {
    static let policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'; worker-src 'self'"

    static func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}
