import CouloirCore
import CouloirDomain
import Foundation

/// How many rows a list page shows.
enum Paging {
    static let size = 50
}

/// What the incident and claim lists share: the filter a query asks for, the page of
/// reports newest first after the `after` key, the link to the next page, and the
/// filter's form controls.
struct ReportListing {
    let query: [String: String]
    let filter: ReportFilter
    let verification: VerificationStatus?

    init(query: [String: String], formats: Formats) {
        self.query = query
        verification = query["verification"].flatMap(VerificationStatus.init(rawValue:))
        filter = ReportFilter(
            from: query["from"].flatMap(formats.parseLocalInput),
            until: query["until"].flatMap(formats.parseLocalInput),
            verification: verification)
    }

    /// The page of `reports` shown, newest first, and the link to the next one under
    /// `path`. Pages follow the API's signed cursors, of a list of their own (`list`
    /// newest first), so a page's link is never a key a client could forge.
    func page<Report>(
        _ reports: [Report], list: String, cursors: CursorSigner, at instant: (Report) -> Date,
        id: (Report) -> String, path: String
    ) throws -> (shown: [Report], next: String?) {
        let pagination = try Pagination(
            list: list + ".newest", limit: Paging.size, cursor: query["cursor"], signer: cursors)
        let page = pagination.page(of: reports) { [Self.newestFirst(instant($0), id($0))] }
        guard let cursor = page.next else { return (page.items, nil) }
        var next = query
        next["cursor"] = cursor
        return (page.items, path + "?" + Self.queryString(next))
    }

    /// The filter's controls after `first` (the list's own: kind, party): verification
    /// and time range.
    func fields(_ first: [FormView.Field], visit: Visit) -> FormView {
        var filters = FormView()
        for field in first { filters.add(field) }
        filters.add(
            .init(
                name: "verification", label: visit.text("report.verification"), kind: .select,
                value: verification?.rawValue ?? "",
                options: visit.choices(VerificationStatus.allCases, "verification", none: "filter.any")))
        filters.add(.init(name: "from", label: visit.text("filter.from"), kind: .datetime, value: query["from"] ?? ""))
        filters.add(
            .init(name: "until", label: visit.text("filter.until"), kind: .datetime, value: query["until"] ?? ""))
        return filters
    }

    /// A key that sorts newest first: the instant's milliseconds counted down from the
    /// year 2200, then the id.
    static func newestFirst(_ instant: Date, _ id: String) -> String {
        let millis = max(0, 7_258_118_400_000 - Int64((instant.timeIntervalSince1970 * 1000).rounded(.down)))
        let text = String(millis)
        return String(repeating: "0", count: max(0, 14 - text.count)) + text + "_" + id
    }

    static func queryString(_ query: [String: String]) -> String {
        query.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { FormBody.encode($0.key) + "=" + FormBody.encode($0.value) }.joined(separator: "&")
    }
}
