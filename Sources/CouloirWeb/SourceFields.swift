import CouloirDomain
import Foundation

/// A source as every form asks for it (rule 3): who said or measured it, what kind of
/// source, where it was published; and reading it back.
extension FormView {
    /// The three fields of a source under `prefix`: what was typed, else `stored`. A
    /// source of an optional row (a guarantee) takes `labels` naming its row.
    mutating func addSource(
        _ visit: Visit, typed: FormBody?, prefix: String = "source", stored: Source? = nil, section: String? = nil,
        labels: ((String) -> String)? = nil
    ) {
        // A source of an optional item of a list is labelled by its item and required with it.
        let label = labels ?? { visit.text("source.\($0)") }
        let required = labels == nil
        func value(_ name: String, _ stored: String?) -> String { typed?.raw(prefix + name) ?? stored ?? "" }
        add(
            .init(
                name: prefix + "/name", label: label("name"), kind: .text,
                value: value("/name", stored?.name), required: required, section: section))
        add(
            .init(
                name: prefix + "/kind", label: label("kind"), kind: .select,
                value: value("/kind", stored?.kind.rawValue),
                options: visit.choices(SourceKind.allCases, "source_kind"), required: required))
        add(
            .init(
                name: prefix + "/reference", label: label("reference"), kind: .text,
                value: value("/reference", stored?.reference)))
    }
}

extension FormReader {
    /// The source the form names, `nil` (with the errors noted) when a field is missing.
    mutating func source(_ prefix: String = "source") -> Source? {
        let name = text(prefix + "/name")
        guard let kind = choice(prefix + "/kind", SourceKind.self), !name.isEmpty else { return nil }
        return Source(name: name, kind: kind, reference: optionalText(prefix + "/reference"))
    }
}
