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
            return try await render(
                partyForm(operation, nil, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/parties") { page, form in
            let visit = page.visit
            let operation = try await operation(page, toCreate: .editPlan)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            // The kind is a placeholder until read: a form without one is refused before it is saved.
            let party = read(&reader, into: Party(operationID: operation.id, name: "", kind: .belligerent))
            return try await save(reader) {
                let stored = try await core.create(party, as: visit.principal)
                return "/operations/\(operation.id)/parties/\(stored.record.id)"
            } again: { errors in
                try await render(
                    partyForm(operation, nil, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            }
        }
        page(router, "/operations/:operation/parties/:party/edit") { page in
            let (operation, stored) = try await editableParty(page)
            return try await render(
                partyForm(operation, stored, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/parties/:party") { page, form in
            let visit = page.visit
            let (operation, stored) = try await editableParty(page)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let revised = read(&reader, into: stored.record)
            return try await save(reader) {
                _ = try await core.update(
                    party: stored.record.id, in: operation.id, to: revised, expecting: form.expectedVersion,
                    as: visit.principal)
                return "/operations/\(operation.id)/parties/\(stored.record.id)"
            } again: { errors in
                try await render(
                    partyForm(operation, stored, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            } stale: {
                let current = try await core.partyForEditing(stored.record.id, in: operation.id, as: visit.principal)
                return try await render(
                    partyForm(operation, current, visit, typed: nil, errors: FormView()), of: operation,
                    visit: visit, typed: nil, stale: form)
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

    private func read(_ reader: inout FormReader, into party: Party) -> Party {
        var party = party
        party.name = reader.text("name")
        if let kind = reader.choice("kind", PartyKind.self) { party.kind = kind }
        return party
    }

    func partyForm(
        _ operation: EvacuationOperation, _ stored: Versioned<Party>?, _ visit: Visit, typed: FormBody?,
        errors: FormView
    ) async throws -> RecordForm {
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
        let base = "/operations/\(operation.id)"
        guard let stored else {
            return RecordForm(
                title: visit.text("party_form.new_title"), action: "\(base)/parties", cancelLink: base, version: nil,
                submitLabel: visit.text("party_form.create"), fields: fields)
        }
        let page = "\(base)/parties/\(stored.record.id)"
        return RecordForm(
            title: visit.text("corridor.edit_title", ["name": stored.record.name]), action: page, cancelLink: page,
            version: stored.version, submitLabel: visit.text("corridor.save"), fields: fields)
    }
}
