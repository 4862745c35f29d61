import CouloirCore
import CouloirDomain
import Foundation
import Hummingbird

/// What every create-or-edit form of an operation's plan shares: how it is shown (the
/// stored values, or what was typed with its errors, 422, or the current values after
/// a stale edit, 412, with what had been typed beside them) and how a save ends.
struct RecordForm {
    var title: String
    var action: String
    var cancelLink: String
    /// The version the edit starts from; `nil` when the form creates a record.
    var version: Int?
    var submitLabel: String
    var fields: FormView
}

extension WebFace {
    /// The operation the page names, once the core says the user may `action` there
    /// (create a record of the plan, propose a pause): what a create form and its POST
    /// ask before anything else.
    func operation(_ page: PageRequest, toCreate action: Action) async throws -> EvacuationOperation {
        let operation = try await core.operation(try page.id("operation", kind: "operation"), as: page.visit.principal)
            .record
        guard try await core.mayCreate(action, in: operation.id, as: page.visit.principal) else {
            throw CoreError.forbiddenAction(action)
        }
        return operation
    }

    /// The form's page, under the header of `operation` when the record belongs to one.
    func render(
        _ form: RecordForm, of operation: EvacuationOperation?, visit: Visit, typed: FormBody?, stale: FormBody? = nil
    ) async throws -> Response {
        var view: [String: Any] = [:]
        if let operation {
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            view = try await operationHeader(operation, formats: formats, visit: visit)
        }
        view["form"] = form.fields.view(visit)
        view["action"] = form.action
        view["cancelLink"] = form.cancelLink
        if let version = form.version { view["version"] = String(version) }
        view["submitLabel"] = form.submitLabel
        var status: HTTPResponse.Status = typed == nil ? .ok : .unprocessableContent
        if let stale {
            status = .preconditionFailed
            view["isStale"] = true
            view["stale"] = form.fields.typed(stale)
        }
        return pages.render("record-form", title: form.title, view: view, visit: visit, status: status)
    }

    /// Runs `write` when the form was read without an error and goes to the page it
    /// names (303); otherwise shows the form again with the reader's or the domain's
    /// errors beside their fields (`aliases` maps a record's pointer to the field that
    /// holds it), or, when the record changed meanwhile, what `stale` shows.
    func save(
        _ reader: FormReader, aliases: [String: String] = [:], write: () async throws -> String,
        again: (FormView) async throws -> Response, stale: (() async throws -> Response)? = nil
    ) async throws -> Response {
        var errors = FormView()
        errors.errors = reader.errors
        guard reader.errors.isEmpty else { return try await again(errors) }
        do {
            return .seeOther(try await write())
        } catch DomainError.invalid(let issues) {
            errors.place(issues, visit: reader.visit, aliases: aliases)
            return try await again(errors)
        } catch is FormIncomplete {
            return try await again(errors)
        } catch CoreError.stale, CoreError.versionRequired {
            guard let stale else { throw CoreError.versionRequired }
            return try await stale()
        }
    }
}

/// Thrown by a `write` that finds a value the reader should have noted as missing.
struct FormIncomplete: Error {}

extension FormBody {
    /// The version an edit form started from, as `ExpectedVersions` for the core.
    var expectedVersion: ExpectedVersions? { self["version"].flatMap(Int.init).map { ExpectedVersions([$0]) } }
}

extension Source {
    /// The source a form read, still marked illustrative when it is the stored one
    /// unchanged: a form never makes a made-up figure look real, nor the reverse.
    func keepingMark(of stored: Source?) -> Source {
        guard let stored, stored.name == name, stored.kind == kind, stored.reference == reference else {
            return self
        }
        return stored
    }
}
