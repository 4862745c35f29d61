import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Creating an operation and editing its description; an edit made from a stale page
/// answers 412 with the current values and what had been typed.
extension WebFace {
    func addOperationForms<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/new") { page in
            guard core.mayCreateOperation(as: page.visit.principal) else {
                throw CoreError.forbiddenAction(.editOperation)
            }
            return try await operationForm(nil, page.visit, typed: nil, errors: FormView())
        }
        form(router, "/operations") { page, form in
            let visit = page.visit
            var errors = FormView()
            guard let operation = readOperation(form, visit: visit, errors: &errors) else {
                return try await operationForm(nil, visit, typed: form, errors: errors)
            }
            do {
                let stored = try await core.create(operation, as: visit.principal)
                return .seeOther("/operations/\(stored.record.id)")
            } catch let error as DomainError {
                errors.place(error.issues, visit: visit)
                return try await operationForm(nil, visit, typed: form, errors: errors)
            }
        }
        page(router, "/operations/:operation/edit") { page in
            let stored = try await core.operationForEditing(
                try page.id("operation", kind: "operation"), as: page.visit.principal)
            return try await operationForm(stored, page.visit, typed: nil, errors: FormView())
        }
        form(router, "/operations/:operation") { page, form in
            let visit = page.visit
            let stored = try await core.operationForEditing(
                try page.id("operation", kind: "operation"), as: visit.principal)
            var errors = FormView()
            guard var revised = readOperation(form, visit: visit, errors: &errors) else {
                return try await operationForm(stored, visit, typed: form, errors: errors)
            }
            revised.id = stored.record.id
            do {
                _ = try await core.update(
                    operation: stored.record.id, to: revised,
                    expecting: form["version"].flatMap(Int.init).map { ExpectedVersions([$0]) }, as: visit.principal)
                return .seeOther("/operations/\(stored.record.id)")
            } catch let error as DomainError {
                errors.place(error.issues, visit: visit)
                return try await operationForm(stored, visit, typed: form, errors: errors)
            } catch CoreError.stale, CoreError.versionRequired {
                let current = try await core.operationForEditing(stored.record.id, as: visit.principal)
                return try await operationForm(current, visit, typed: nil, errors: FormView(), stale: form)
            }
        }
    }

    /// The operation a form describes; `nil`, with the errors noted, when a field is missing.
    func readOperation(_ form: FormBody, visit: Visit, errors: inout FormView) -> EvacuationOperation? {
        var reader = FormReader(form, visit: visit, formats: visit.formats)
        let name = reader.text("name")
        let area = reader.text("area")
        let zone = reader.text("timeZone")
        let languages = (form["languages"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        errors.errors = reader.errors
        guard reader.errors.isEmpty else { return nil }
        return EvacuationOperation(name: name, area: area, timeZoneIdentifier: zone, languages: languages)
    }

    func operationForm(
        _ stored: Versioned<EvacuationOperation>?, _ visit: Visit, typed: FormBody?, errors: FormView,
        stale: FormBody? = nil
    ) async throws -> Response {
        var fields = errors
        let operation = stored?.record
        func value(_ name: String, _ current: String?) -> String { typed?.raw(name) ?? current ?? "" }
        fields.add(
            .init(
                name: "name", label: visit.text("operation_form.name"), kind: .text,
                value: value("name", operation?.name), required: true))
        fields.add(
            .init(
                name: "area", label: visit.text("operations.area"), kind: .text, value: value("area", operation?.area),
                required: true))
        fields.add(
            .init(
                name: "timeZone", label: visit.text("operation_form.time_zone"), kind: .text,
                value: value("timeZone", operation?.timeZoneIdentifier), required: true,
                hint: visit.text("operation_form.time_zone_hint")))
        fields.add(
            .init(
                name: "languages", label: visit.text("operation_form.languages"), kind: .text,
                value: value("languages", operation?.languages.joined(separator: ", ")), required: true,
                hint: visit.text("operation_form.languages_hint")))
        var view: [String: Any] = ["form": fields.view(visit)]
        if let stored {
            view["action"] = "/operations/\(stored.record.id)"
            view["cancelLink"] = "/operations/\(stored.record.id)"
            view["version"] = String(stored.version)
        } else {
            view["action"] = "/operations"
            view["cancelLink"] = "/operations"
        }
        view["submitLabel"] = visit.text(stored == nil ? "operation_form.create" : "corridor.save")
        var status: HTTPResponse.Status = typed == nil ? .ok : .unprocessableContent
        if let stale {
            status = .preconditionFailed
            view["isStale"] = true
            view["stale"] = fields.typed(stale)
        }
        let title =
            stored.map { visit.text("operation_form.edit_title", ["name": $0.record.name]) }
            ?? visit.text("operation_form.new_title")
        return pages.render("record-form", title: title, view: view, visit: visit, status: status)
    }
}
