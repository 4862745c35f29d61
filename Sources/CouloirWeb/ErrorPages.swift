import Foundation
import HTTPTypes
public import Hummingbird

/// What a browser is shown when a request fails outside a page's own refusals: an
/// unknown address, a method the address does not take, a body too large, a server
/// error. A page in the reader's language, with a way back and, on a server error, the
/// request's id that the log names the cause by; never a stack, never JSON. API
/// clients, ODK Collect and scripts keep their own answers.
extension WebFace {
    /// The page for `status`, or nil when the request is no browser's visit to a page.
    public func errorPage(for request: Request, status: HTTPResponse.Status, requestID: String?) -> Response? {
        guard Self.isPageRequest(request) else { return nil }
        let visit = Visit(request, catalogues: pages.catalogues)
        let key =
            switch status.code {
            case 404: "error.no_page"
            case 405: "error.method"
            case 413: "error.too_large_request"
            case 503: "error.unavailable"
            case 500...: "error.server"
            default: "error.request"
            }
        var message = visit.text(key)
        if status.code >= 500, let requestID {
            message += " " + visit.text("error.reference", ["id": requestID])
        }
        var response = pages.render(
            "refusal", title: visit.text(key + "_title"), view: ["message": message], visit: visit, status: status)
        if request.method == .head { response.body = ResponseBody() }
        return response
    }

    /// Whether `request` is a browser asking for a page: not the JSON API, ODK Collect's
    /// face, the session endpoint or the health check, and accepting HTML.
    static func isPageRequest(_ request: Request) -> Bool {
        let path = request.uri.path
        for prefix in ["/api/", "/openrosa/", "/session", "/healthz"] where path.hasPrefix(prefix) { return false }
        if path == "/api" || path == "/openrosa" { return false }
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        return accept.contains("text/html") || accept.contains("application/xhtml+xml")
    }
}
