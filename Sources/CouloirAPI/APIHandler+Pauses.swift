import CouloirCore
import CouloirDomain
import Foundation

extension APIHandler {
    func listPauses(_ input: Operations.ListPauses.Input) async throws -> Operations.ListPauses.Output {
        let query = input.query
        let pagination = try Pagination(list: "pauses", limit: query.limit, cursor: query.cursor, signer: cursors)
        let filter = PauseFilter(
            state: query.status.map { PauseState(rawValue: $0.rawValue)! },
            corridorID: try queryID(query.corridorId, name: "corridorId"),
            sectorID: try queryID(query.sectorId, name: "sectorId"), from: query.from, until: query.until)
        let pauses = try await core.pauses(
            in: try pathID(input.path.operationId, "operation"), matching: filter, as: principal)
        let page = pagination.page(of: pauses) { [SortKey.instant($0.proposedAt), $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Pause.init), nextCursor: page.next))))
    }

    func createPause(_ input: Operations.CreatePause.Input) async throws -> Operations.CreatePause.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let created = try await core.create(try Pause(body, operationID: operationID), as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(created.version),
                    location: "/api/v1/operations/\(operationID)/pauses/\(created.record.id)"),
                body: .json(.init(created.record))))
    }

    func getPause(_ input: Operations.GetPause.Input) async throws -> Operations.GetPause.Output {
        let stored = try await core.pause(
            try pathID(input.path.pauseId, "pause"), in: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updatePause(_ input: Operations.UpdatePause.Input) async throws -> Operations.UpdatePause.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let updated = try await core.update(
            pause: try pathID(input.path.pauseId, "pause"), in: operationID,
            to: try Pause(body, operationID: operationID), expecting: ETag.expected(input.headers.ifMatch),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    func transitionPause(_ input: Operations.TransitionPause.Input) async throws -> Operations.TransitionPause.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let step = PauseStep(
            to: PauseState(rawValue: body.to.rawValue)!, at: body.at, actor: body.actor, reason: body.reason,
            source: Source(body.source))
        let moved = try await core.move(
            pause: try pathID(input.path.pauseId, "pause"), in: try pathID(input.path.operationId, "operation"),
            step, as: principal)
        return .created(.init(headers: .init(eTag: ETag.of(moved.version)), body: .json(.init(moved.record))))
    }
}

func localTime(_ text: String, at pointer: String) throws -> LocalTime {
    guard let time = LocalTime(text) else {
        throw DomainError.invalid([FieldIssue(pointer, "is not a time of day HH:MM")])
    }
    return time
}

extension Pause {
    init(_ input: Components.Schemas.PauseInput, operationID: EvacuationOperation.ID) throws {
        let windows = try input.windows.enumerated().map { i, window -> PauseWindow in
            switch window {
            case .fixed(let fixed):
                return .fixed(Interval(start: fixed.start, end: fixed.end))
            case .daily(let daily):
                let pointer = "/windows/\(i)"
                return .daily(
                    DailyHours(
                        firstDay: try localDate(daily.firstDay, at: pointer + "/firstDay"),
                        lastDay: try localDate(daily.lastDay, at: pointer + "/lastDay"),
                        opens: try localTime(daily.opens, at: pointer + "/opens"),
                        closes: try localTime(daily.closes, at: pointer + "/closes")))
            }
        }
        self.init(
            operationID: operationID, name: input.name, windows: windows,
            sectorIDs: try (input.sectorIds ?? []).enumerated().map { try identifier($1, at: "/sectorIds/\($0)") },
            corridorIDs: try input.corridorIds.enumerated().map { try identifier($1, at: "/corridorIds/\($0)") },
            conditions: input.conditions ?? [],
            guarantees: try (input.guarantees ?? []).enumerated().map { i, guarantee in
                Guarantee(
                    partyID: try identifier(guarantee.partyId, at: "/guarantees/\(i)/partyId"),
                    stance: Guarantee.Stance(rawValue: guarantee.stance.rawValue)!, statement: guarantee.statement,
                    at: guarantee.at, source: Source(guarantee.source))
            },
            proposedAt: input.proposedAt, source: Source(input.source))
    }
}

extension Components.Schemas.Pause {
    init(_ pause: Pause) {
        self.init(
            id: pause.id.description, name: pause.name, state: .init(rawValue: pause.state.rawValue)!,
            windows: pause.windows.map { window in
                switch window {
                case .fixed(let interval):
                    .fixed(.init(kind: .fixed, start: interval.start, end: interval.end))
                case .daily(let hours):
                    .daily(
                        .init(
                            kind: .daily, firstDay: hours.firstDay.description, lastDay: hours.lastDay.description,
                            opens: hours.opens.description, closes: hours.closes.description))
                }
            },
            sectorIds: pause.sectorIDs.map(\.description), corridorIds: pause.corridorIDs.map(\.description),
            conditions: pause.conditions,
            guarantees: pause.guarantees.map {
                .init(
                    partyId: $0.partyID.description, stance: .init(rawValue: $0.stance.rawValue)!,
                    statement: $0.statement, at: $0.at, source: .init($0.source))
            },
            proposedAt: pause.proposedAt, source: .init(pause.source),
            history: pause.history.map {
                .init(
                    from: .init(rawValue: $0.from.rawValue)!, to: .init(rawValue: $0.to.rawValue)!, at: $0.at,
                    actor: $0.actor, reason: $0.reason, source: .init($0.source))
            })
    }
}
