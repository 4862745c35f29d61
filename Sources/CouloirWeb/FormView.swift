import CouloirDomain
import Foundation

/// A form as a page shows it: each field with its label, what was typed, its choices and
/// its error, and a summary of the errors at the top linking to each field (GOV.UK's
/// pattern). Field names are the JSON pointers of the record without the leading `/`,
/// so the domain's issue for `/source/name` lands beside the field `source/name`.
struct FormView {
    enum Kind: String {
        case text, textarea, positions, number, decimal, select, multiselect, datetime, date, time
    }

    struct Field {
        var name: String
        var label: String
        var kind: Kind
        var value: String
        var options: [(value: String, label: String)] = []
        var required = false
        var hint: String?
        /// The values chosen in a `multiselect`.
        var chosen: Set<String> = []
        /// A heading shown before the field: it opens a part of the form.
        var section: String?
    }

    var fields: [Field] = []
    /// Errors by field name, in the page's language.
    var errors: [String: String] = [:]

    mutating func add(_ field: Field) { fields.append(field) }

    /// The view the `form-fields` partial renders.
    func view(_ visit: Visit) -> [String: Any] {
        let rendered = fields.map { field -> [String: Any] in
            var view: [String: Any] = [
                "id": "field-" + field.name.replacingOccurrences(of: "/", with: "-"),
                "name": field.name, "label": field.label, "value": field.value, field.kind.rawValue: true,
                "required": field.required,
            ]
            let id = view["id"] as! String
            var described: [String] = []
            if let hint = field.hint {
                view["hint"] = hint
                described.append(id + "-hint")
            }
            if let error = errors[field.name] {
                view["error"] = error
                described.append(id + "-error")
            }
            if !described.isEmpty { view["describedBy"] = described.joined(separator: " ") }
            if let section = field.section { view["section"] = section }
            if !field.options.isEmpty {
                view["options"] = field.options.map {
                    [
                        "value": $0.value, "label": $0.label,
                        "selected": field.kind == .multiselect
                            ? field.chosen.contains($0.value) : $0.value == field.value,
                    ] as [String: Any]
                }
            }
            return view
        }
        var view: [String: Any] = ["fields": rendered]
        let summary = rendered.compactMap { field -> [String: Any]? in
            guard let error = field["error"] as? String else { return nil }
            return [
                "link": "#" + (field["id"] as! String),
                "error": visit.text("error.summary_item", ["field": field["label"] as! String, "error": error]),
            ]
        }
        // Errors for no field shown (a pointer the form has no field for) still show.
        let shown = Set(fields.map(\.name))
        let loose = errors.filter { !shown.contains($0.key) }.sorted { $0.key < $1.key }.map {
            ["link": "#error-summary", "error": $0.value] as [String: Any]
        }
        if !summary.isEmpty || !loose.isEmpty {
            view["errors"] = summary + loose
            view["hasErrors"] = true
        }
        return view
    }

    /// What was typed in each field, labelled (a choice by its label), for the
    /// explanation of an edit refused as stale.
    func typed(_ form: FormBody) -> [[String: Any]] {
        fields.map { field in
            let raw = form.raw(field.name)
            return ["label": field.label, "value": field.options.first { $0.value == raw }?.label ?? raw]
        }
    }

    /// Puts the domain's issues beside their fields, in the page's language. `aliases`
    /// maps a record's pointer (without its `/`) to the field that holds it.
    mutating func place(_ issues: [FieldIssue], visit: Visit, aliases: [String: String] = [:]) {
        for issue in issues {
            var name = String(issue.pointer.drop(while: { $0 == "/" }))
            // A field that holds a whole value (a route's positions) takes its parts'
            // issues; an alias ending in `/` renames a prefix (a list's item by its row).
            if let alias = aliases.filter({
                $0.key.hasSuffix("/") ? name.hasPrefix($0.key) : name == $0.key || name.hasPrefix($0.key + "/")
            })
            .max(by: { $0.key.count < $1.key.count }) {
                name = alias.key.hasSuffix("/") ? alias.value + name.dropFirst(alias.key.count) : alias.value
            } else if let slash = name.lastIndex(of: "/"), name[name.index(after: slash)...].allSatisfy(\.isNumber) {
                // An item of a list (`languages/2`) is told beside the list's field.
                name = String(name[..<slash])
            }
            if errors[name] == nil { errors[name] = Self.reason(issue.reason, visit: visit) }
        }
    }

    /// The domain's reason in the page's language: its common forms have catalogue
    /// entries; another is given generically.
    static func reason(_ reason: String, visit: Visit) -> String {
        if reason == "must not be empty" { return visit.text("error.empty") }
        if reason == "must not be negative" { return visit.text("error.negative") }
        if reason.hasPrefix("holds a control character") { return visit.text("error.control") }
        if reason.hasPrefix("no "), reason.hasSuffix("in this operation") || reason.hasSuffix("operations") {
            return visit.text("error.unknown")
        }
        let known: [(prefix: String, key: String)] = [
            ("only a monitor is assigned", "error.only_monitor_counts"),
            ("a party liaison represents one party", "error.liaison_needs_party"),
            ("only a party liaison represents", "error.only_liaison_represents"),
            ("only an administrator grants", "error.admin_grants_admin"),
            ("is taken", "error.taken"),
            ("must be 3 to 64 of", "error.login_form"),
            ("a statement carries no figure", "error.no_figure"),
            ("unknown IANA time zone", "error.time_zone"),
            ("must name at least one language", "error.languages"),
            ("not a BCP 47 language tag", "error.languages"),
            ("a control share is a percentage", "error.percentage"),
            ("must be a number from 0 to", "error.figure_range"),
        ]
        if let match = known.first(where: { reason.hasPrefix($0.prefix) }) { return visit.text(match.key) }
        if reason.hasPrefix("a "), reason.hasSuffix("claim must give its figure") {
            return visit.text("error.figure_required")
        }
        let words = reason.split(separator: " ")
        if reason.hasPrefix("must be at most "), words.count >= 4, let limit = Int(words[3]) {
            let n = visit.formats.number(limit)
            return words.count > 4 ? visit.text("error.too_long", ["n": n]) : visit.text("error.too_large", ["n": n])
        }
        return visit.text("error.invalid")
    }
}

extension Visit {
    /// Numbers in the page's language, for texts not tied to an operation's zone.
    var formats: Formats { Formats(language: language, timeZone: TimeZone(identifier: "UTC")!) }
}

/// Reading a form's fields into domain values, gathering an error for each field that
/// cannot be read, in the page's language.
struct FormReader {
    let form: FormBody
    let visit: Visit
    let formats: Formats
    var errors: [String: String] = [:]

    init(_ form: FormBody, visit: Visit, formats: Formats) {
        self.form = form
        self.visit = visit
        self.formats = formats
    }

    mutating func text(_ name: String) -> String {
        guard let value = form[name] else {
            errors[name] = visit.text("error.required")
            return ""
        }
        return value
    }

    func optionalText(_ name: String) -> String? { form[name] }

    mutating func choice<T: RawRepresentable<String>>(_ name: String, _: T.Type) -> T? {
        guard let value = form[name].flatMap(T.init(rawValue:)) else {
            errors[name] = visit.text("error.choose")
            return nil
        }
        return value
    }

    mutating func count(_ name: String) -> Int? {
        guard let text = form[name] else { return nil }
        guard let value = Int(text) else {
            errors[name] = visit.text("error.not_a_number")
            return nil
        }
        return value
    }

    mutating func instant(_ name: String) -> Date? {
        parsed(name, unreadable: "error.not_an_instant", formats.parseLocalInput)
    }

    /// The value of field `name` as `parse` reads it; nil, with the field's error noted,
    /// when the field is empty or `parse` cannot read it (`unreadable`, with `values`).
    mutating func parsed<Value>(
        _ name: String, unreadable: String, values: [String: String] = [:], _ parse: (String) -> Value?
    ) -> Value? {
        guard let text = form[name] else {
            errors[name] = visit.text("error.required")
            return nil
        }
        guard let value = parse(text) else {
            errors[name] = visit.text(unreadable, values)
            return nil
        }
        return value
    }

    /// Every value chosen in a `multiselect` (or repeated field), as typed.
    func chosen(_ name: String) -> [String] {
        (form.values[name] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The identifiers chosen in a `multiselect`; one that is not an identifier is an
    /// error of the field.
    mutating func identifiers<T>(_ name: String) -> [Identifier<T>] {
        var identifiers: [Identifier<T>] = []
        for text in chosen(name) {
            guard let id = Identifier<T>(text) else {
                errors[name] = visit.text("error.unknown")
                continue
            }
            identifiers.append(id)
        }
        return identifiers
    }

    /// The lines of a textarea, trimmed, empty lines left out.
    func lines(_ name: String) -> [String] {
        (form[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A number with a fraction (a longitude, a latitude), read in ASCII digits.
    mutating func decimal(_ name: String) -> Double? {
        parsed(name, unreadable: "error.not_a_number") { text in
            Double(text.replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite ? $0 : nil }
        }
    }

    mutating func date(_ name: String) -> LocalDate? {
        parsed(name, unreadable: "error.not_a_date", LocalDate.init)
    }

    mutating func time(_ name: String) -> LocalTime? {
        parsed(name, unreadable: "error.not_a_time", LocalTime.init)
    }
}
