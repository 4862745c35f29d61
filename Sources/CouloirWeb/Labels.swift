import CouloirCore
import CouloirDomain
import Foundation

/// Domain values in the page's words: every enumeration has its catalogue keys, and a
/// corridor's status says why in the reader's language.
extension Visit {
    func label(_ section: String, _ value: some RawRepresentable<String>) -> String {
        text("\(section).\(value.rawValue)")
    }

    /// The choices of a select: first an empty one reading the catalogue's `none`, then
    /// each of `values` by its label in `section`.
    func choices<T: RawRepresentable<String>>(
        _ values: some Sequence<T>, _ section: String, none: String = "form.choose"
    ) -> [(value: String, label: String)] {
        [("", text(none))] + values.map { ($0.rawValue, label(section, $0)) }
    }

    func status(_ status: CorridorStatus, formats: Formats) -> String {
        switch status.reason {
        case .window(_, let name, let span):
            text("status_reason.window", ["pause": name, "until": formats.instant(span.end)])
        case .pauseNotActive(_, let name, let state):
            text("status_reason.pause_not_active", ["pause": name, "state": label("pause_state", state)])
        case .outsideWindows(_, let name):
            text("status_reason.outside_windows", ["pause": name])
        case .noPause:
            text("status_reason.no_pause")
        case .override(let override):
            text(
                "status_reason.override", ["state": label("corridor_state", override.state), "reason": override.reason])
        }
    }

    /// A source as a page shows it: who, what kind, where, and a mark when illustrative.
    func source(_ source: Source) -> [String: Any] {
        var view: [String: Any] = ["name": source.name, "kind": label("source_kind", source.kind)]
        if let reference = source.reference { view["reference"] = reference }
        if source.illustrative { view["illustrative"] = true }
        return view
    }
}
