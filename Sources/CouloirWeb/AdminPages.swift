import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// The organisation's administration in the browser: its users (added, disabled,
/// enabled, with a monitor's checkpoints or a liaison's party) and its access tokens
/// (issued, their secret shown once, revoked). The core decides who may; these pages
/// only ask it.
extension WebFace {
    func addAdminPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/admin") { page in
            let visit = page.visit
            let rights = core.administration(as: visit.principal)
            guard rights.any else { throw CoreError.forbiddenAction(.manageUsers) }
            let places = try await assignablePlaces(visit)
            var view: [String: Any] = [:]
            if rights.users {
                view["showUsers"] = true
                view["users"] = try await core.users(as: visit.principal).map { user -> [String: Any] in
                    [
                        "login": user.login, "role": visit.label("role", user.role),
                        "assignment": places.describe(user.assignment),
                        "status": visit.text(user.disabled ? "admin.disabled" : "admin.enabled"),
                        "action": "/admin/users/\(user.id)/\(user.disabled ? "enable" : "disable")",
                        "actionLabel": visit.text(user.disabled ? "admin.enable" : "admin.disable"),
                        "undoes": !user.disabled,
                        "isSelf": user.id == visit.signedIn!.user.id,
                    ]
                }
            }
            if rights.tokens {
                view["showTokens"] = true
                let formats = visit.formats
                view["tokens"] = try await core.tokens(as: visit.principal).map { stored -> [String: Any] in
                    let token = stored.token
                    var row: [String: Any] = [
                        "label": token.label, "role": visit.label("role", token.role),
                        "assignment": places.describe(token.assignment), "issued": formats.instant(token.issuedAt),
                        "lastUsed": stored.lastUsedAt.map(formats.instant) ?? visit.text("admin.never"),
                    ]
                    if let revoked = token.revokedAt {
                        row["status"] = visit.text("admin.revoked_at", ["at": formats.instant(revoked)])
                    } else {
                        row["status"] = visit.text("admin.active")
                        row["revoke"] = "/admin/tokens/\(token.id)/revoke"
                    }
                    return row
                }
            }
            return pages.render("admin", title: visit.text("admin.title"), view: view, visit: visit)
        }
        page(router, "/admin/users/new") { page in
            try await grantForm(page.visit, kind: .user, form: nil, errors: FormView())
        }
        page(router, "/admin/tokens/new") { page in
            try await grantForm(page.visit, kind: .token, form: nil, errors: FormView())
        }
        form(router, "/admin/users") { page, form in
            try await grant(page.visit, kind: .user, form: form)
        }
        form(router, "/admin/tokens") { page, form in
            try await grant(page.visit, kind: .token, form: form)
        }
        for (verb, disabled) in [("disable", true), ("enable", false)] {
            form(router, RouterPath("/admin/users/:user/\(verb)")) { page, _ in
                do {
                    _ = try await core.setUser(
                        try page.id("user", kind: "user"), disabled: disabled, as: page.visit.principal)
                } catch DomainError.conflict {
                    return refusal(.conflict, "error.self_disable", page.visit)
                }
                return .seeOther("/admin")
            }
        }
        form(router, "/admin/tokens/:token/revoke") { page, _ in
            _ = try await core.revokeToken(try page.id("token", kind: "token"), as: page.visit.principal)
            return .seeOther("/admin")
        }
    }

    enum Grant: String {
        case user, token
    }

    /// Adds a user or issues a token from the form; the new password or secret is shown
    /// on the answer, once, never stored in the clear.
    func grant(_ visit: Visit, kind: Grant, form: FormBody) async throws -> Response {
        var reader = FormReader(form, visit: visit, formats: visit.formats)
        let name = reader.text(kind == .user ? "login" : "label")
        let role = reader.choice("role", Role.self)
        var assignment = Assignment(partyID: form["assignment/partyId"].flatMap(Party.ID.init))
        for text in form.values["assignment/checkpointIds"] ?? [] {
            guard let id = Checkpoint.ID(text) else {
                reader.errors["assignment/checkpointIds"] = visit.text("error.choose")
                continue
            }
            assignment.checkpointIDs.append(id)
        }
        var errors = FormView()
        errors.errors = reader.errors
        guard reader.errors.isEmpty, let role else {
            return try await grantForm(visit, kind: kind, form: form, errors: errors)
        }
        do {
            var view: [String: Any] = ["back": "/admin"]
            switch kind {
            case .user:
                let added = try await core.addUser(login: name, role: role, assignment: assignment, as: visit.principal)
                view["heading"] = visit.text("admin.user_added")
                view["name"] = added.user.login
                view["secretLabel"] = visit.text("admin.password")
                view["secret"] = added.password
                view["explanation"] = visit.text("admin.password_once")
            case .token:
                let issued = try await core.issueToken(
                    label: name, role: role, assignment: assignment, as: visit.principal)
                view["heading"] = visit.text("admin.token_issued")
                view["name"] = issued.token.label
                view["secretLabel"] = visit.text("admin.secret")
                view["secret"] = issued.secret
                view["explanation"] = visit.text("admin.secret_once")
                view["phone"] = Self.phoneSetup(secret: issued.secret, visit: visit)
            }
            // Shown once and never again: the answer is the page itself, not a redirect.
            return pages.render("admin-secret", title: view["heading"] as! String, view: view, visit: visit)
        } catch let error as DomainError {
            errors.place(error.issues, visit: visit, aliases: ["label": "label", "login": "login"])
            return try await grantForm(visit, kind: kind, form: form, errors: errors)
        }
    }

    /// The two ways a phone takes its token: the field form's link, with the token in the
    /// fragment (never sent to a server), and ODK Collect's settings code with the
    /// server URL that carries it. Each as a QR code and as text.
    static func phoneSetup(secret: String, visit: Visit) -> [String: Any]? {
        let fieldLink = visit.origin + "/field/#token=" + secret
        let collectURL = visit.origin + "/openrosa/key/" + secret
        let label = visit.text("admin.qr_label")
        guard let field = QRCode(text: fieldLink),
            let collect = QRCode(text: CollectSettings.qrText(serverURL: collectURL, project: "Couloir"))
        else { return nil }
        return [
            "fieldLink": fieldLink, "collectURL": collectURL,
            "fieldQR": field.svg(label: label + " · " + visit.text("field.title")),
            "collectQR": collect.svg(label: label + " · ODK Collect"),
        ]
    }

    func grantForm(_ visit: Visit, kind: Grant, form: FormBody?, errors: FormView) async throws -> Response {
        let rights = core.administration(as: visit.principal)
        guard kind == .user ? rights.users : rights.tokens else {
            throw CoreError.forbiddenAction(kind == .user ? .manageUsers : .manageTokens)
        }
        let places = try await assignablePlaces(visit)
        var fields = errors
        let roles = Role.allCases.filter { Policy.mayGrant($0, by: visit.principal.role) }
        if kind == .user {
            fields.add(
                .init(
                    name: "login", label: visit.text("admin.login"), kind: .text, value: form?.raw("login") ?? "",
                    required: true, hint: visit.text("admin.login_hint")))
        } else {
            fields.add(
                .init(
                    name: "label", label: visit.text("admin.label"), kind: .text, value: form?.raw("label") ?? "",
                    required: true, hint: visit.text("admin.label_hint")))
        }
        fields.add(
            .init(
                name: "role", label: visit.text("admin.role"), kind: .select, value: form?.raw("role") ?? "",
                options: visit.choices(roles, "role"),
                required: true))
        fields.add(
            .init(
                name: "assignment/checkpointIds", label: visit.text("admin.checkpoints"), kind: .multiselect, value: "",
                options: places.checkpoints, hint: visit.text("admin.checkpoints_hint"),
                chosen: Set(form?.values["assignment/checkpointIds"] ?? [])))
        fields.add(
            .init(
                name: "assignment/partyId", label: visit.text("admin.party"), kind: .select,
                value: form?.raw("assignment/partyId") ?? "",
                options: [("", visit.text("admin.no_party"))] + places.parties,
                hint: visit.text("admin.party_hint")))
        let title = visit.text(kind == .user ? "admin.add_user" : "admin.issue_token")
        return pages.render(
            "admin-form", title: title,
            view: ["form": fields.view(visit), "action": kind == .user ? "/admin/users" : "/admin/tokens"],
            visit: visit, status: form == nil ? .ok : .unprocessableContent)
    }

    /// The checkpoints and parties an assignment may name: those of the operations the
    /// user's organisation takes part in, labelled by operation and corridor.
    func assignablePlaces(_ visit: Visit) async throws -> AssignablePlaces {
        var places = AssignablePlaces()
        for operation in try await core.operations(as: visit.principal) {
            for entry in try await core.corridors(in: operation.id, at: core.now(), as: visit.principal) {
                for checkpoint in entry.corridor.checkpoints {
                    let label = "\(operation.name) · \(entry.corridor.code) · \(checkpoint.name)"
                    places.checkpoints.append((checkpoint.id.description, label))
                }
            }
            for party in try await core.parties(in: operation.id, as: visit.principal) {
                places.parties.append((party.id.description, "\(operation.name) · \(party.name)"))
            }
        }
        return places
    }
}

/// What an assignment may name, as choices, and how an assignment reads.
struct AssignablePlaces {
    var checkpoints: [(String, String)] = []
    var parties: [(String, String)] = []

    func describe(_ assignment: Assignment) -> String {
        let names = Dictionary(checkpoints + parties, uniquingKeysWith: { first, _ in first })
        let parts =
            assignment.checkpointIDs.map { names[$0.description] ?? $0.description }
            + (assignment.partyID.map { [names[$0.description] ?? $0.description] } ?? [])
        return parts.joined(separator: "; ")
    }
}
