import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// A pause: its windows in the operation's time, the corridors and sectors it covers,
/// its conditions and each party's guarantee, its lifecycle with who, when, why and
/// the source; and the form that moves it a step, for those who manage pauses.
extension WebFace {
    func addPausePages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/pauses/:pause") { page in
            let (operation, pause) = try await pauseOf(page)
            return try await pausePage(operation, pause, page.visit, form: nil, errors: FormView())
        }
        form(router, "/operations/:operation/pauses/:pause/transitions") { page, form in
            let visit = page.visit
            let (operation, pause) = try await pauseOf(page)
            _ = try await core.pauseForManaging(pause.id, in: operation.id, as: visit.principal)
            var reader = FormReader(
                form, visit: visit, formats: Formats(language: visit.language, timeZone: operation.timeZone))
            let to = reader.choice("to", PauseState.self)
            let actor = reader.text("actor")
            let reason = reader.text("reason")
            let source = reader.source()
            var errors = FormView()
            errors.errors = reader.errors
            guard reader.errors.isEmpty, let to, let source else {
                return try await pausePage(operation, pause, visit, form: form, errors: errors)
            }
            let step = PauseStep(to: to, at: nil, actor: actor, reason: reason, source: source)
            do {
                _ = try await core.move(pause: pause.id, in: operation.id, step, as: visit.principal)
            } catch let error as DomainError {
                switch error {
                case .illegalTransition: errors.errors["to"] = visit.text("pause.illegal_step")
                case .conflict: errors.errors["to"] = visit.text("error.invalid")
                case .invalid(let issues): errors.place(issues, visit: visit)
                }
                return try await pausePage(operation, pause, visit, form: form, errors: errors)
            }
            return .seeOther("/operations/\(operation.id)/pauses/\(pause.id)")
        }
    }

    private func pauseOf(_ page: PageRequest) async throws -> (EvacuationOperation, Pause) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let pause = try await core.pause(try page.id("pause", kind: "pause"), in: operationID, as: page.visit.principal)
        return (operation, pause.record)
    }

    func pausePage(_ operation: EvacuationOperation, _ pause: Pause, _ visit: Visit, form: FormBody?, errors: FormView)
        async throws -> Response
    {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        let base = "/operations/\(operation.id)"
        let principal = visit.principal
        let parties = Dictionary(
            uniqueKeysWithValues: try await core.parties(in: operation.id, as: principal).map { ($0.id, $0.name) })
        let corridors = try await core.corridors(in: operation.id, at: core.now(), as: principal)
        let sectors = try await core.sectors(in: operation.id, at: core.now(), as: principal)
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        var row: [String: Any] = [
            "name": pause.name, "state": visit.label("pause_state", pause.state), "stateCode": pause.state.rawValue,
            "proposed": formats.instant(pause.proposedAt), "source": visit.source(pause.source),
            "conditions": pause.conditions,
        ]
        row["windows"] = pause.occurrences(in: ZonedClock(operation.timeZone)).map { span -> [String: Any] in
            [
                "start": formats.instant(span.start), "end": formats.instant(span.end),
                "hours": formats.number(Int((span.duration / 3600).rounded())),
            ]
        }
        row["corridors"] = corridors.filter { pause.corridorIDs.contains($0.corridor.id) }.map {
            ["name": "\($0.corridor.code) · \($0.corridor.name)", "link": "\(base)/corridors/\($0.corridor.id)"]
        }
        row["sectors"] = sectors.filter { pause.sectorIDs.contains($0.id) }.map(\.name)
        row["guarantees"] = pause.guarantees.map { guarantee -> [String: Any] in
            [
                "party": parties[guarantee.partyID] ?? "", "stance": visit.label("stance", guarantee.stance),
                "statement": guarantee.statement, "at": formats.instant(guarantee.at),
                "source": visit.source(guarantee.source),
            ]
        }
        row["steps"] = pause.history.map { step -> [String: Any] in
            [
                "from": visit.label("pause_state", step.from), "to": visit.label("pause_state", step.to),
                "at": formats.instant(step.at), "actor": step.actor, "reason": step.reason,
                "source": visit.source(step.source),
            ]
        }
        let manages = (try? await core.pauseForManaging(pause.id, in: operation.id, as: principal)) != nil
        if manages, pause.termsAreOpen { row["editLink"] = "\(base)/pauses/\(pause.id)/edit" }
        view["pause"] = row
        view["history"] = try await historyView(
            .pause, pause.id.description, in: operation, formats: formats, visit: visit)
        if manages, !pause.state.successors.isEmpty {
            var fields = errors
            func value(_ name: String) -> String { form?.raw(name) ?? "" }
            fields.add(
                .init(
                    name: "to", label: visit.text("pause.step_to"), kind: .select, value: value("to"),
                    options: visit.choices(pause.state.successors.sorted { $0.rawValue < $1.rawValue }, "pause_state"),
                    required: true))
            fields.add(
                .init(
                    name: "actor", label: visit.text("pause.step_actor"), kind: .text, value: value("actor"),
                    required: true, hint: visit.text("pause.step_actor_hint")))
            fields.add(
                .init(
                    name: "reason", label: visit.text("report.reason"), kind: .textarea, value: value("reason"),
                    required: true))
            fields.addSource(visit, typed: form)
            view["form"] = fields.view(visit)
            view["action"] = "\(base)/pauses/\(pause.id)/transitions"
        }
        return pages.render(
            "pause", title: pause.name, view: view, visit: visit, status: form == nil ? .ok : .unprocessableContent)
    }
}
