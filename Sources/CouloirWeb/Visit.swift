import CouloirCore
import CouloirDomain
import Foundation
import HTTPTypes
import Hummingbird

/// One request to a page: the language it is answered in, where it was asked, and who
/// is signed in.
struct Visit {
    let language: Language
    let catalogue: Catalogue
    /// The path and query asked for: where a language switch or a new sign-in returns.
    let target: String
    /// `scheme://host` as the browser reached the server (https behind a TLS proxy that
    /// says `X-Forwarded-Proto: https`): links made to leave the page, for a phone.
    let origin: String
    var signedIn: SignedIn?

    struct SignedIn {
        let user: User
        let session: Session
        /// What the user may administer, to offer the administration page's link.
        let rights: AdministrationRights
        var principal: Principal { Principal(user) }
    }

    init(_ request: Request, catalogues: [Language: Catalogue], signedIn: SignedIn? = nil) {
        language = Language.chosen(
            cookie: request.cookies[Language.cookie]?.value, acceptLanguage: request.headers[.acceptLanguage])
        catalogue = catalogues[language]!
        target = Self.localTarget(request.uri.description) ?? "/"
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        origin = scheme + "://" + (request.head.authority ?? "localhost")
        self.signedIn = signedIn
    }

    /// The principal the page acts for; pages that need one are reached signed in only.
    var principal: Principal { signedIn!.principal }

    func text(_ key: String, _ values: [String: String] = [:]) -> String {
        catalogue.text(key, values)
    }

    /// `target` when it is a path on this server (`/…`, never `//host` or `/\host`),
    /// short, and free of line breaks: what a redirect may follow without leaving.
    static func localTarget(_ target: String?) -> String? {
        guard let target, target.hasPrefix("/"), !target.hasPrefix("//"), !target.hasPrefix("/\\"),
            target.utf8.count <= 1024,
            !target.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        return target
    }

    /// The link that switches this page to `language`.
    func languageLink(_ other: Language) -> String {
        "/language?to=\(other.rawValue)&back=\(FormBody.encode(target))"
    }
}
