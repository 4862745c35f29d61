import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// A corridor: its status now or at a chosen instant, its route's checkpoints in order,
/// who may use it, its overrides; and the form that edits its description, refused with
/// the current values when someone else changed it meanwhile (412).
extension WebFace {
    func addCorridorPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/corridors/:corridor") { page in
            let visit = page.visit
            let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
            let operation = try await core.operation(operationID, as: visit.principal).record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let asked = page.query["at"].flatMap(formats.parseLocalInput)
            let instant = asked ?? core.now()
            let stored = try await core.corridor(
                try page.id("corridor", kind: "corridor"), in: operationID, at: instant, as: visit.principal)
            let corridor = stored.record.corridor
            let base = "/operations/\(operation.id)"
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            var row = corridorRow(stored.record, base: base, formats: formats, visit: visit)
            row["at"] = formats.instant(instant)
            row["atInput"] = formats.localInput(instant)
            row["destination"] = corridor.destination
            row["capacity"] = corridor.capacityPerHour.map {
                visit.text("corridor.capacity_per_hour", ["n": formats.number($0)])
            }
            row["groups"] = corridor.allowedGroups.sorted().map { visit.label("group", $0) }
            let readsTallies = core.readsTallies(as: visit.principal)
            let edits = (try? await core.corridorForEditing(corridor.id, in: operation.id, as: visit.principal)) != nil
            row["checkpoints"] = corridor.checkpoints.enumerated().map { index, checkpoint -> [String: Any] in
                var entry: [String: Any] = [
                    "order": formats.number(index + 1), "name": checkpoint.name,
                    "teams": checkpoint.monitorTeams.joined(separator: ", "),
                ]
                if readsTallies { entry["talliesLink"] = "\(base)/checkpoints/\(checkpoint.id)/tallies" }
                if edits { entry["editLink"] = "\(base)/checkpoints/\(checkpoint.id)/edit" }
                return entry
            }
            row["overrides"] = corridor.overrides.map { override -> [String: Any] in
                var entry: [String: Any] = [
                    "state": visit.label("corridor_state", override.state), "from": formats.instant(override.from),
                    "reason": override.reason, "source": visit.source(override.source),
                ]
                if let until = override.until { entry["until"] = formats.instant(until) }
                return entry
            }
            row["source"] = visit.source(corridor.source)
            if edits {
                row["newCheckpointLink"] = "\(base)/corridors/\(corridor.id)/checkpoints/new"
                row["editLink"] = "\(base)/corridors/\(corridor.id)/edit"
                row["overrideLink"] = "\(base)/corridors/\(corridor.id)/override"
            }
            view["corridor"] = row
            view["history"] = try await historyView(
                .corridor, corridor.id.description, in: operation, formats: formats, visit: visit)
            return pages.render("corridor", title: corridor.name, view: view, visit: visit)
        }
        page(router, "/operations/:operation/corridors/:corridor/override") { page in
            let (operation, stored) = try await editableCorridor(page)
            return try await overrideForm(operation, stored.record, page.visit, form: nil, errors: FormView())
        }
        form(router, "/operations/:operation/corridors/:corridor/overrides") { page, form in
            let visit = page.visit
            let (operation, stored) = try await editableCorridor(page)
            var reader = FormReader(
                form, visit: visit, formats: Formats(language: visit.language, timeZone: operation.timeZone))
            let state = reader.choice("state", StatusOverride.State.self)
            let reason = reader.text("reason")
            let source = reader.source()
            let until = form["until"] == nil ? nil : reader.instant("until")
            var errors = FormView()
            errors.errors = reader.errors
            guard reader.errors.isEmpty, let state, let source else {
                return try await overrideForm(operation, stored.record, visit, form: form, errors: errors)
            }
            let override = StatusOverride(state: state, from: core.now(), until: until, reason: reason, source: source)
            do {
                _ = try await core.add(override, to: stored.record.id, in: operation.id, as: visit.principal)
            } catch let error as DomainError {
                errors.place(error.issues, visit: visit)
                return try await overrideForm(operation, stored.record, visit, form: form, errors: errors)
            }
            return .seeOther("/operations/\(operation.id)/corridors/\(stored.record.id)")
        }
    }

    /// Closing or blocking a corridor by hand, from now, with a reason and its source.
    func overrideForm(
        _ operation: EvacuationOperation, _ corridor: Corridor, _ visit: Visit, form: FormBody?, errors: FormView
    ) async throws -> Response {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        var fields = errors
        func value(_ name: String) -> String { form?.raw(name) ?? "" }
        fields.add(
            .init(
                name: "state", label: visit.text("override.state"), kind: .select, value: value("state"),
                options: visit.choices(StatusOverride.State.allCases, "corridor_state"),
                required: true))
        fields.add(
            .init(
                name: "reason", label: visit.text("report.reason"), kind: .textarea, value: value("reason"),
                required: true))
        fields.add(
            .init(
                name: "until", label: visit.text("override.until"), kind: .datetime, value: value("until"),
                hint: visit.text("override.until_hint", ["zone": operation.timeZoneIdentifier])))
        fields.addSource(visit, typed: form)
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        view["form"] = fields.view(visit)
        view["action"] = "/operations/\(operation.id)/corridors/\(corridor.id)/overrides"
        view["cancelLink"] = "/operations/\(operation.id)/corridors/\(corridor.id)"
        view["submitLabel"] = visit.text("override.submit")
        return pages.render(
            "record-form", title: visit.text("override.title", ["name": corridor.name]), view: view, visit: visit,
            status: form == nil ? .ok : .unprocessableContent)
    }
}
