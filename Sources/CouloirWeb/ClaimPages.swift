import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// An operation's claims: what each party said, in its original language with the
/// translation beside it, attributed, with its verification history; and the form that
/// changes the verification of a claim or an incident, for those the core lets.
extension WebFace {
    func addClaimPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/claims") { page in
            let visit = page.visit
            let operation = try await core.operation(try page.id("operation", kind: "operation"), as: visit.principal)
                .record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let query = page.query
            let kind = query["kind"].flatMap(Claim.Kind.init(rawValue:))
            let partyID = query["party"].flatMap(Party.ID.init)
            let listing = ReportListing(query: query, formats: formats)
            let parties = try await core.parties(in: operation.id, as: visit.principal)
            let claims = try await core.claims(
                in: operation.id, matching: listing.filter, kind: kind, partyID: partyID, as: visit.principal)
            let base = "/operations/\(operation.id)"
            let (shown, next) = try listing.page(
                claims, list: "claims", cursors: cursors, at: \.madeAt, id: \.id.description, path: base + "/claims")
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            let names = Dictionary(uniqueKeysWithValues: parties.map { ($0.id, $0.name) })
            view["claims"] = shown.map { claimRow($0, base: base, parties: names, formats: formats, visit: visit) }
            view["count"] = visit.text("claims.count", ["n": formats.number(claims.count)])
            if try await core.mayCreate(.recordClaim, in: operation.id, as: visit.principal) {
                view["newClaimLink"] = base + "/claims/new"
            }
            view["nextLink"] = next
            view["filters"] = listing.fields(
                [
                    .init(
                        name: "party", label: visit.text("claim.party"), kind: .select,
                        value: partyID?.description ?? "",
                        options: [("", visit.text("filter.any"))] + parties.map { ($0.id.description, $0.name) }),
                    .init(
                        name: "kind", label: visit.text("claim.kind"), kind: .select, value: kind?.rawValue ?? "",
                        options: visit.choices(Claim.Kind.allCases, "claim_kind", none: "filter.any")),
                ], visit: visit
            ).view(visit)
            return pages.render("claims", title: visit.text("claims.title"), view: view, visit: visit)
        }
        page(router, "/operations/:operation/claims/:claim") { page in
            let (operation, claim) = try await claimOf(page)
            return try await claimPage(operation, claim, page.visit, form: nil, errors: FormView())
        }
        form(router, "/operations/:operation/claims/:claim/verification") { page, form in
            let (operation, claim) = try await claimOf(page)
            _ = try await core.claimForVerifying(claim.id, in: operation.id, as: page.visit.principal)
            let (step, errors) = readVerification(form, page.visit)
            guard let step else { return try await claimPage(operation, claim, page.visit, form: form, errors: errors) }
            _ = try await core.verify(claim: claim.id, in: operation.id, step, as: page.visit.principal)
            return .seeOther("/operations/\(operation.id)/claims/\(claim.id)")
        }
        form(router, "/operations/:operation/incidents/:incident/verification") { page, form in
            let visit = page.visit
            let (operation, incident) = try await incidentOf(page)
            _ = try await core.incidentForVerifying(incident.id, in: operation.id, as: visit.principal)
            let (step, errors) = readVerification(form, visit)
            guard let step else {
                return try await incidentPage(operation, incident, visit, form: form, errors: errors)
            }
            _ = try await core.verify(incident: incident.id, in: operation.id, step, as: visit.principal)
            return .seeOther("/operations/\(operation.id)/incidents/\(incident.id)")
        }
    }

    private func claimOf(_ page: PageRequest) async throws -> (EvacuationOperation, Claim) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let claim = try await core.claim(try page.id("claim", kind: "claim"), in: operationID, as: page.visit.principal)
        return (operation, claim.record)
    }

    func claimRow(
        _ claim: Claim, base: String, parties: [Party.ID: String], formats: Formats, visit: Visit
    ) -> [String: Any] {
        var row: [String: Any] = [
            "madeAt": formats.instant(claim.madeAt), "kind": visit.label("claim_kind", claim.kind),
            "party": claim.partyID.flatMap { parties[$0] } ?? "", "statement": claim.statement,
            "verification": visit.label("verification", claim.verification), "link": "\(base)/claims/\(claim.id)",
        ]
        if let translation = claim.translation { row["translation"] = translation }
        if let value = claim.value {
            row["value"] = value.formatted(.number.locale(visit.language.locale))
        }
        return row
    }

    func claimPage(_ operation: EvacuationOperation, _ claim: Claim, _ visit: Visit, form: FormBody?, errors: FormView)
        async throws -> Response
    {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        let base = "/operations/\(operation.id)"
        let parties = Dictionary(
            uniqueKeysWithValues: try await core.parties(in: operation.id, as: visit.principal).map { ($0.id, $0.name) }
        )
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        var row = claimRow(claim, base: base, parties: parties, formats: formats, visit: visit)
        row["source"] = visit.source(claim.source)
        row["history"] = verificationHistory(claim.verificationHistory, formats: formats, visit: visit)
        view["claim"] = row
        view["history"] = try await historyView(
            .claim, claim.id.description, in: operation, formats: formats, visit: visit)
        if (try? await core.claimForVerifying(claim.id, in: operation.id, as: visit.principal)) != nil {
            view["form"] = verificationForm(claim.verification, visit, form: form, errors: errors).view(visit)
            view["action"] = "\(base)/claims/\(claim.id)/verification"
        }
        return pages.render(
            "claim", title: visit.label("claim_kind", claim.kind), view: view, visit: visit,
            status: form == nil ? .ok : .unprocessableContent)
    }

    func verificationHistory(_ changes: [VerificationChange], formats: Formats, visit: Visit) -> [[String: Any]] {
        changes.map { change in
            [
                "at": formats.instant(change.at), "from": visit.label("verification", change.from),
                "to": visit.label("verification", change.to), "reason": change.reason,
                "source": visit.source(change.source),
            ]
        }
    }

    /// The verification form: to which status, why, on whose word.
    func verificationForm(_ current: VerificationStatus, _ visit: Visit, form: FormBody?, errors: FormView) -> FormView
    {
        var fields = errors
        func value(_ name: String) -> String { form?.raw(name) ?? "" }
        fields.add(
            .init(
                name: "to", label: visit.text("verification_form.to"), kind: .select, value: value("to"),
                options: visit.choices(VerificationStatus.allCases.filter { $0 != current }, "verification"),
                required: true))
        fields.add(
            .init(
                name: "reason", label: visit.text("report.reason"), kind: .textarea, value: value("reason"),
                required: true))
        fields.addSource(visit, typed: form)
        return fields
    }

    /// The step a verification form asks for, or the form's errors when a field is
    /// missing.
    func readVerification(_ form: FormBody, _ visit: Visit) -> (step: VerificationStep?, errors: FormView) {
        var reader = FormReader(form, visit: visit, formats: visit.formats)
        let to = reader.choice("to", VerificationStatus.self)
        let reason = reader.text("reason")
        let source = reader.source()
        var errors = FormView()
        errors.errors = reader.errors
        guard reader.errors.isEmpty, let to, let source else { return (nil, errors) }
        return (VerificationStep(to: to, at: nil, reason: reason, source: source), errors)
    }
}
