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
            return try await render(
                operationForm(nil, page.visit, typed: nil, errors: FormView()), of: nil, visit: page.visit, typed: nil)
        }
        form(router, "/operations") { page, form in
            let visit = page.visit
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let operation = readOperation(&reader)
            return try await save(reader) {
                let stored = try await core.create(operation, as: visit.principal)
                return "/operations/\(stored.record.id)"
            } again: { errors in
                try await render(
                    operationForm(nil, visit, typed: form, errors: errors), of: nil, visit: visit, typed: form)
            }
        }
        page(router, "/operations/:operation/edit") { page in
            let stored = try await core.operationForEditing(
                try page.id("operation", kind: "operation"), as: page.visit.principal)
            return try await render(
                operationForm(stored, page.visit, typed: nil, errors: FormView()), of: nil, visit: page.visit,
                typed: nil)
        }
        form(router, "/operations/:operation") { page, form in
            let visit = page.visit
            let stored = try await core.operationForEditing(
                try page.id("operation", kind: "operation"), as: visit.principal)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            var revised = readOperation(&reader)
            revised.id = stored.record.id
            return try await save(reader) {
                _ = try await core.update(
                    operation: stored.record.id, to: revised, expecting: form.expectedVersion, as: visit.principal)
                return "/operations/\(stored.record.id)"
            } again: { errors in
                try await render(
                    operationForm(stored, visit, typed: form, errors: errors), of: nil, visit: visit, typed: form)
            } stale: {
                let current = try await core.operationForEditing(stored.record.id, as: visit.principal)
                return try await render(
                    operationForm(current, visit, typed: nil, errors: FormView()), of: nil, visit: visit, typed: nil,
                    stale: form)
            }
        }
    }

    /// The operation a form describes; what cannot be read is noted in `reader`.
    func readOperation(_ reader: inout FormReader) -> EvacuationOperation {
        let name = reader.text("name")
        let area = reader.text("area")
        let zone = reader.text("timeZone")
        let languages = (reader.form["languages"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " })
            .map(String.init)
        return EvacuationOperation(name: name, area: area, timeZoneIdentifier: zone, languages: languages)
    }

    func operationForm(_ stored: Versioned<EvacuationOperation>?, _ visit: Visit, typed: FormBody?, errors: FormView)
        async throws -> RecordForm
    {
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
        guard let stored else {
            return RecordForm(
                title: visit.text("operation_form.new_title"), action: "/operations", cancelLink: "/operations",
                version: nil, submitLabel: visit.text("operation_form.create"), fields: fields)
        }
        let page = "/operations/\(stored.record.id)"
        return RecordForm(
            title: visit.text("operation_form.edit_title", ["name": stored.record.name]), action: page,
            cancelLink: page, version: stored.version, submitLabel: visit.text("corridor.save"), fields: fields)
    }
}
