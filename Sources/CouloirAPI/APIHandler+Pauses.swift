import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listPauses(_ input: Operations.ListPauses.Input) async throws -> Operations.ListPauses.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let query = input.query
        let pagination = try Pagination(list: "pauses", limit: query.limit, cursor: query.cursor)
        let state = query.status.map { PauseState(rawValue: $0.rawValue)! }
        let corridorID: Corridor.ID? = try queryID(query.corridorId, name: "corridorId")
        let sectorID: Sector.ID? = try queryID(query.sectorId, name: "sectorId")
        let clock = ZonedClock(operation.timeZone)
        let pauses = access.visible(try await store.pauses(in: operation.id), .pause).filter { pause in
            (state.map { pause.state == $0 } ?? true)
                && (corridorID.map { pause.corridorIDs.contains($0) } ?? true)
                && (sectorID.map { pause.sectorIDs.contains($0) } ?? true)
                && (query.from == nil && query.until == nil
                    || pause.occurrences(in: clock).contains { span in
                        (query.from.map { span.end > $0 } ?? true) && (query.until.map { span.start < $0 } ?? true)
                    })
        }
        let page = pagination.page(of: pauses) { [SortKey.instant($0.proposedAt), $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Pause.init), nextCursor: page.next))))
    }

    func createPause(_ input: Operations.CreatePause.Input) async throws -> Operations.CreatePause.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.managePause)
        let pause = try Pause(body, operationID: operation.id)
        try await store.insert(pause)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)/pauses/\(pause.id)"),
                body: .json(.init(pause))))
    }

    func getPause(_ input: Operations.GetPause.Input) async throws -> Operations.GetPause.Output {
        let stored = try await requirePause(input.path.pauseId, in: input.path.operationId, for: .readPlan)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updatePause(_ input: Operations.UpdatePause.Input) async throws -> Operations.UpdatePause.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requirePause(input.path.pauseId, in: input.path.operationId, for: .managePause)
        guard input.headers.ifMatch != nil else { throw PreconditionError.required }
        let terms = try Pause(body, operationID: stored.record.operationID)
        // Terms that could never be stored are refused as such, whatever the pause's state.
        try terms.validate(in: OperationIndex(permissive: terms))
        var revised = stored.record
        try revised.revise(to: terms)
        try PreconditionError.check(input.headers.ifMatch, against: stored.version, kind: "pause")
        let updated = try await store.update(revised, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    func transitionPause(_ input: Operations.TransitionPause.Input) async throws -> Operations.TransitionPause.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requirePause(input.path.pauseId, in: input.path.operationId, for: .managePause)
        let moved = try await store.transition(
            stored.record.id, in: stored.record.operationID, to: PauseState(rawValue: body.to.rawValue)!,
            at: body.at ?? now(), actor: body.actor, reason: body.reason, source: Source(body.source))
        return .created(.init(headers: .init(eTag: ETag.of(moved.version)), body: .json(.init(moved.record))))
    }

    private func requirePause(_ id: String, in operationID: String, for action: Action) async throws
        -> Versioned<Pause>
    {
        let (operation, access) = try await reach(operationID)
        guard let pauseID = Pause.ID(id), let stored = try await store.versionedPause(pauseID, in: operation.id) else {
            throw StorageError.notFound(kind: "pause", id: id)
        }
        try access.require(action, on: RecordKey(.pause, pauseID))
        return stored
    }
}

extension OperationIndex {
    /// An index that knows every record `pause` names, for checking the pause's own
    /// rules before storage checks its references.
    init(permissive pause: Pause) {
        self.init(
            operationID: pause.operationID, parties: Set(pause.guarantees.map(\.partyID)),
            sectors: Set(pause.sectorIDs), corridors: Set(pause.corridorIDs))
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
