import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// The organisations taking part in an operation: listed to whoever reads it; added
/// and removed by those the core lets manage its members (never the last one).
extension WebFace {
    func addMemberPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/members") { page in
            let operation = try await core.operation(
                try page.id("operation", kind: "operation"), as: page.visit.principal
            )
            .record
            return try await membersPage(operation, page.visit, form: nil, errors: FormView())
        }
        form(router, "/operations/:operation/members") { page, form in
            let visit = page.visit
            let operation = try await core.operation(try page.id("operation", kind: "operation"), as: visit.principal)
                .record
            var errors = FormView()
            guard let name = form["organisation"] else {
                errors.errors["organisation"] = visit.text("error.required")
                return try await membersPage(operation, visit, form: form, errors: errors)
            }
            do {
                _ = try await core.addMember(named: name, to: operation.id, as: visit.principal)
            } catch let error as DomainError {
                if case .conflict = error {
                    errors.errors["organisation"] = visit.text("members.already")
                } else {
                    errors.errors["organisation"] = visit.text("members.unknown")
                }
                return try await membersPage(operation, visit, form: form, errors: errors)
            }
            return .seeOther("/operations/\(operation.id)/members")
        }
        form(router, "/operations/:operation/members/:organisation/remove") { page, _ in
            let visit = page.visit
            let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
            do {
                try await core.removeMember(
                    try page.id("organisation", kind: "member"), from: operationID, as: visit.principal)
            } catch is DomainError {
                return refusal(.conflict, "error.last_member", visit)
            } catch StorageError.duplicate, StorageError.notFound {
                return refusal(.conflict, "error.last_member", visit)
            }
            return .seeOther("/operations/\(operationID)/members")
        }
    }

    func membersPage(_ operation: EvacuationOperation, _ visit: Visit, form: FormBody?, errors: FormView) async throws
        -> Response
    {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        let manages = try await core.may(.manageMembers, onOperation: operation.id, as: visit.principal)
        let members = try await core.members(of: operation.id, as: visit.principal)
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        view["members"] = members.map { member -> [String: Any] in
            var row: [String: Any] = ["name": member.organisation.name, "since": formats.instant(member.since)]
            if manages, members.count > 1 {
                row["remove"] = "/operations/\(operation.id)/members/\(member.organisation.id)/remove"
            }
            return row
        }
        if manages {
            var fields = errors
            fields.add(
                .init(
                    name: "organisation", label: visit.text("members.organisation"), kind: .text,
                    value: form?.raw("organisation") ?? "", required: true, hint: visit.text("members.hint")))
            view["form"] = fields.view(visit)
            view["action"] = "/operations/\(operation.id)/members"
        }
        return pages.render(
            "members", title: visit.text("members.title"), view: view, visit: visit,
            status: form == nil ? .ok : .unprocessableContent)
    }
}
