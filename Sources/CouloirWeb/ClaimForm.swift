import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Recording what a party claimed: as said, with its translation, its figure when it
/// gives one, when and by whom, and the source that reported it.
extension WebFace {
    func addClaimForm<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/claims/new") { page in
            let operation = try await core.operation(
                try page.id("operation", kind: "operation"), as: page.visit.principal
            )
            .record
            guard try await core.mayCreate(.recordClaim, in: operation.id, as: page.visit.principal) else {
                throw CoreError.forbiddenAction(.recordClaim)
            }
            return try await claimForm(operation, page.visit, form: nil, errors: FormView())
        }
        form(router, "/operations/:operation/claims") { page, form in
            let visit = page.visit
            let operation = try await core.operation(try page.id("operation", kind: "operation"), as: visit.principal)
                .record
            var reader = FormReader(
                form, visit: visit, formats: Formats(language: visit.language, timeZone: operation.timeZone))
            let kind = reader.choice("kind", Claim.Kind.self)
            let value = reader.figure("value")
            let statement = reader.text("statement")
            let madeAt = reader.instant("madeAt")
            let source = reader.source()
            let partyID = form["partyId"].flatMap(Party.ID.init)
            var errors = FormView()
            errors.errors = reader.errors
            guard reader.errors.isEmpty, let kind, let madeAt, let source else {
                return try await claimForm(operation, visit, form: form, errors: errors)
            }
            let claim = Claim(
                operationID: operation.id, kind: kind, value: value, statement: statement,
                translation: reader.optionalText("translation"), madeAt: madeAt, partyID: partyID, source: source)
            do {
                let stored = try await core.record(claim, as: visit.principal)
                return .seeOther("/operations/\(operation.id)/claims/\(stored.record.id)")
            } catch let error as DomainError {
                errors.place(error.issues, visit: visit)
                return try await claimForm(operation, visit, form: form, errors: errors)
            }
        }
    }

    func claimForm(_ operation: EvacuationOperation, _ visit: Visit, form: FormBody?, errors: FormView) async throws
        -> Response
    {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        var fields = errors
        func value(_ name: String, _ fallback: String = "") -> String { form?.raw(name) ?? fallback }
        let parties = try await core.parties(in: operation.id, as: visit.principal)
        fields.add(
            .init(
                name: "partyId", label: visit.text("claim.party"), kind: .select, value: value("partyId"),
                options: [("", visit.text("claim_form.no_party"))] + parties.map { ($0.id.description, $0.name) }))
        fields.add(
            .init(
                name: "kind", label: visit.text("claim.kind"), kind: .select, value: value("kind"),
                options: visit.choices(Claim.Kind.allCases, "claim_kind"), required: true))
        fields.add(
            .init(
                name: "value", label: visit.text("claim.value"), kind: .number, value: value("value"),
                hint: visit.text("claim_form.value_hint")))
        fields.add(
            .init(
                name: "statement", label: visit.text("claim.original"), kind: .textarea, value: value("statement"),
                required: true, hint: visit.text("claim_form.statement_hint")))
        fields.add(
            .init(
                name: "translation", label: visit.text("claim.translation"), kind: .textarea,
                value: value("translation")))
        fields.add(
            .init(
                name: "madeAt", label: visit.text("claim.made_at"), kind: .datetime,
                value: value("madeAt", formats.localInput(core.now())), required: true,
                hint: visit.text("form.in_zone", ["zone": operation.timeZoneIdentifier])))
        fields.addSource(visit, typed: form)
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        view["form"] = fields.view(visit)
        view["action"] = "/operations/\(operation.id)/claims"
        view["cancelLink"] = "/operations/\(operation.id)/claims"
        view["submitLabel"] = visit.text("claim_form.submit")
        return pages.render(
            "record-form", title: visit.text("claim_form.title"), view: view, visit: visit,
            status: form == nil ? .ok : .unprocessableContent)
    }
}

extension FormReader {
    /// A figure as people type it: `93`, `93.5` or `93,5`; `nil` when the field is empty.
    mutating func figure(_ name: String) -> Double? {
        guard let text = form[name] else { return nil }
        guard let value = Double(text.replacingOccurrences(of: ",", with: ".")), value.isFinite else {
            errors[name] = visit.text("error.not_a_figure")
            return nil
        }
        return value
    }
}
