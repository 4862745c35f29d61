import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listTallies(_ input: Operations.ListTallies.Input) async throws -> Operations.ListTallies.Output {
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireAnywhere(.readTallies)
        let query = input.query
        let pagination = try Pagination(list: "tallies", limit: query.limit, cursor: query.cursor)
        var after: Int64?
        if let key = pagination.after {
            guard key.count == 1, let seq = Int64(key[0]) else { throw StorageError.invalidCursor }
            after = seq
        }
        let filter = TallyFilter(
            checkpointID: try queryID(query.checkpointId, name: "checkpointId"),
            corridorID: try queryID(query.corridorId, name: "corridorId"), from: query.from, until: query.until,
            visibleCheckpoints: access.checkpoints(where: .readTallies))
        // One more than the page holds says whether another page follows.
        let listed = try await store.tallies(
            in: operation.id, matching: filter, after: after, limit: pagination.limit + 1)
        let page = listed.prefix(pagination.limit)
        let next = listed.count > pagination.limit ? page.last.map { pagination.cursor(after: [String($0.seq)]) } : nil
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.map { Components.Schemas.Tally($0.tally, supersededBy: $0.supersededBy) },
                        nextCursor: next))))
    }

    func submitTally(_ input: Operations.SubmitTally.Input) async throws -> Operations.SubmitTally.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operation = try await requireOperation(input.path.operationId)
        let tally = try Tally(body, operationID: operation.id)
        if let refusal = try await TallyGate(handler: self, operationID: operation.id).refusal(at: tally.checkpointID) {
            throw refusal
        }
        switch try await store.submit(tally) {
        case .created(let tally):
            return .created(.init(body: .json(.init(tally))))
        case .replayed(let tally):
            return .ok(.init(body: .json(.init(tally))))
        case .conflict(let stored):
            return .conflict(.init(body: .applicationProblemJson(Problem.tallyConflict(stored))))
        }
    }

    func submitTallies(_ input: Operations.SubmitTallies.Input) async throws -> Operations.SubmitTallies.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operation = try await requireOperation(input.path.operationId)
        // An item that cannot even be read as a tally is answered in its place too.
        // So is one at a checkpoint the caller may not count at.
        var tallies: [Tally] = []
        var unreadable: [Int: DomainError] = [:]
        let gate = TallyGate(handler: self, operationID: operation.id)
        for (index, item) in body.items.enumerated() {
            do {
                let tally = try Tally(item, operationID: operation.id)
                if let refusal = try await gate.refusal(at: tally.checkpointID) {
                    unreadable[index] = .invalid([FieldIssue("/checkpointId", refusal.description)])
                } else {
                    tallies.append(tally)
                }
            } catch let error as DomainError {
                unreadable[index] = error
            }
        }
        var outcomes = try await store.submit(batch: tallies).makeIterator()
        let results = body.items.enumerated().map { index, item -> Components.Schemas.TallyBatchItemResult in
            let outcome = unreadable[index].map { .failure($0) } ?? outcomes.next()!
            switch outcome {
            case .success(.created):
                return .init(index: index, id: item.id, outcome: .created)
            case .success(.replayed(let tally)):
                return .init(index: index, id: item.id, outcome: .replayed, tally: .init(tally))
            case .success(.conflict(let stored)):
                return .init(index: index, id: item.id, outcome: .conflict, tally: .init(stored))
            case .failure(let error):
                return .init(index: index, id: item.id, outcome: .invalid, problem: Problem.invalid(error.issues))
            }
        }
        return .ok(.init(body: .json(.init(results: results))))
    }
}

extension Problem {
    static func tallyConflict(_ stored: Tally) -> Components.Schemas.TallyProblem {
        .init(
            _type: base + "duplicate", title: "Conflict", status: 409,
            detail: "A tally \(stored.id) was stored before with other content; nothing was stored.",
            stored: .init(stored))
    }
}

extension Tally {
    init(_ input: Components.Schemas.TallyInput, operationID: EvacuationOperation.ID) throws {
        self.init(
            id: try identifier(input.id, at: "/id"), operationID: operationID,
            checkpointID: try identifier(input.checkpointId, at: "/checkpointId"),
            interval: Interval(start: input.interval.start, end: input.interval.end),
            direction: Direction(rawValue: input.direction.rawValue)!,
            counts: input.counts.map { count in
                GroupCount(
                    group: Group(rawValue: count.group.rawValue)!, people: count.people,
                    breakdown: count.breakdown.map {
                        SexAgeBreakdown(
                            female: AgeBands(
                                children: $0.female.children, adults: $0.female.adults, elderly: $0.female.elderly),
                            male: AgeBands(children: $0.male.children, adults: $0.male.adults, elderly: $0.male.elderly)
                        )
                    },
                    unaccompaniedChildren: count.unaccompaniedChildren)
            },
            vehicles: input.vehicles.map { Vehicles(cars: $0.cars, buses: $0.buses, ambulances: $0.ambulances) }
                ?? Vehicles(),
            supersedes: try input.supersedes.map { try identifier($0, at: "/supersedes") },
            source: Source(input.source))
    }
}

extension Components.Schemas.Tally {
    init(_ tally: Tally, supersededBy: Tally.ID? = nil) {
        self.init(
            id: tally.id.description, checkpointId: tally.checkpointID.description,
            interval: .init(start: tally.interval.start, end: tally.interval.end),
            direction: .init(rawValue: tally.direction.rawValue)!,
            counts: tally.counts.map { count in
                .init(
                    group: .init(rawValue: count.group.rawValue)!, people: count.people,
                    breakdown: count.breakdown.map {
                        .init(
                            female: .init(
                                children: $0.female.children, adults: $0.female.adults, elderly: $0.female.elderly),
                            male: .init(children: $0.male.children, adults: $0.male.adults, elderly: $0.male.elderly))
                    },
                    unaccompaniedChildren: count.unaccompaniedChildren)
            },
            vehicles: .init(
                cars: tally.vehicles.cars, buses: tally.vehicles.buses, ambulances: tally.vehicles.ambulances),
            supersedes: tally.supersedes?.description, supersededBy: supersededBy?.description,
            source: .init(tally.source))
    }
}
