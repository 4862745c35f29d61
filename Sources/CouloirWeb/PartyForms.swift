import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Adding a party to an operation and editing it (its name and kind); an edit made from
/// a stale page answers 412 with the current values and what had been typed.
extension WebFace {
    func addPartyForms<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/parties/new") { page in
            let operation = try await operation(page, toCreate: .editPlan)
            return try await partyForm(operation, nil, page.visit, typed: nil, errors: FormView())
        }
        form(router, "/operations/:operation/parties") { page, form in
            let visit = page.visit
            let operation = try await operation(page, toCreate: .editPlan)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let name = reader.text("name")
            let kind = reader.choice("kind", PartyKind.self)
            var errors = FormView()
            errors.errors = reader.errors
            guard reader.errors.isEmpty, let kind else {
                return try await partyForm(operation, nil, visit, typed: form, errors: errors)
            }
            do {
                let stored = try await core.create(
                    Party(operationID: operation.id, name: name, kind: kind), as: visit.principal)
                return .seeOther("/operations/\(operation.id)/parties/\(stored.record.id)")
            } catch let error as DomainError {
                errors.place(error.issues, visit: visit)
                return try await partyForm(operation, nil, visit, typed: form, errors: errors)
            }
        }
        page(router, "/operations/:operation/parties/:party/edit") { page in
            let (operation, stored) = try await editableParty(page)
            return try await partyForm(operation, stored, page.visit, typed: nil, errors: FormView())
        }
        form(router, "/operations/:operation/parties/:party") { page, form in
            let visit = page.visit
            let (operation, stored) = try await editableParty(page)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let name = reader.text("name")
            let kind = reader.choice("kind", PartyKind.self)
            var errors = FormView()
            errors.errors = reader.errors
            guard reader.errors.isEmpty, let kind else {
                return try await partyForm(operation, stored, visit, typed: form, errors: errors)
            }
            var revised = stored.record
            revised.name = name
            revised.kind = kind
            do {
                _ = try await core.update(
                    party: stored.record.id, in: operation.id, to: revised,
                    expecting: form["version"].flatMap(Int.init).map { ExpectedVersions([$0]) }, as: visit.principal)
                return .seeOther("/operations/\(operation.id)/parties/\(stored.record.id)")
            } catch let error as DomainError {
                errors.place(error.issues, visit: visit)
                return try await partyForm(operation, stored, visit, typed: form, errors: errors)
            } catch CoreError.stale, CoreError.versionRequired {
                let current = try await core.partyForEditing(stored.record.id, in: operation.id, as: visit.principal)
                return try await partyForm(operation, current, visit, typed: nil, errors: FormView(), stale: form)
            }
        }
    }

    private func editableParty(_ page: PageRequest) async throws -> (EvacuationOperation, Versioned<Party>) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let stored = try await core.partyForEditing(
            try page.id("party", kind: "party"), in: operationID, as: page.visit.principal)
        return (operation, stored)
    }

    func partyForm(
        _ operation: EvacuationOperation, _ stored: Versioned<Party>?, _ visit: Visit, typed: FormBody?,
        errors: FormView, stale: FormBody? = nil
    ) async throws -> Response {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        let base = "/operations/\(operation.id)"
        var fields = errors
        fields.add(
            .init(
                name: "name", label: visit.text("party_form.name"), kind: .text,
                value: typed?.raw("name") ?? stored?.record.name ?? "", required: true))
        fields.add(
            .init(
                name: "kind", label: visit.text("party_form.kind"), kind: .select,
                value: typed?.raw("kind") ?? stored?.record.kind.rawValue ?? "",
                options: visit.choices(PartyKind.allCases, "party_kind"), required: true))
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        view["form"] = fields.view(visit)
        if let stored {
            view["action"] = "\(base)/parties/\(stored.record.id)"
            view["cancelLink"] = "\(base)/parties/\(stored.record.id)"
            view["version"] = String(stored.version)
        } else {
            view["action"] = "\(base)/parties"
            view["cancelLink"] = base
        }
        view["submitLabel"] = visit.text(stored == nil ? "party_form.create" : "corridor.save")
        var status: HTTPResponse.Status = typed == nil ? .ok : .unprocessableContent
        if let stale {
            status = .preconditionFailed
            view["isStale"] = true
            view["stale"] = fields.typed(stale)
        }
        let title =
            stored.map { visit.text("corridor.edit_title", ["name": $0.record.name]) }
            ?? visit.text("party_form.new_title")
        return pages.render("record-form", title: title, view: view, visit: visit, status: status)
    }
}
