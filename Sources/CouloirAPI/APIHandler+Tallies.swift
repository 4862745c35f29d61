import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listTallies(_ input: Operations.ListTallies.Input) async throws -> Operations.ListTallies.Output {
        let query = input.query
        let pagination = try Pagination(list: "tallies", limit: query.limit, cursor: query.cursor, signer: cursors)
        let after = try pagination.afterSequence()
        let filter = TallyFilter(
            checkpointID: try queryID(query.checkpointId, name: "checkpointId"),
            corridorID: try queryID(query.corridorId, name: "corridorId"), from: query.from, until: query.until)
        // One more than the page holds says whether another page follows.
        let listed = try await core.tallies(
            in: try pathID(input.path.operationId, "operation"), matching: filter, after: after,
            limit: pagination.limit + 1, as: principal)
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
        let tally = try Tally(body, operationID: try pathID(input.path.operationId, "operation"))
        switch try await core.submit(tally, as: principal) {
        case .created(let tally):
            return .created(.init(body: .json(.init(tally))))
        case .replayed(let tally):
            return .ok(.init(body: .json(.init(tally))))
        case .conflict(let stored):
            return .conflict(.init(body: .applicationProblemJson(Problem.tallyConflict(tally.id, stored: stored))))
        }
    }

    func submitTallies(_ input: Operations.SubmitTallies.Input) async throws -> Operations.SubmitTallies.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        // An item that cannot even be read as a tally is answered in its place too.
        let items = body.items.map { item in
            Result { () throws(DomainError) in try Tally(item, operationID: operationID) }
        }
        let outcomes = try await core.submit(batch: items, to: operationID, as: principal)
        let results = zip(body.items, outcomes).enumerated().map {
            index, pair -> Components.Schemas.TallyBatchItemResult in
            let (item, outcome) = pair
            switch outcome {
            case .success(.created):
                return .init(index: index, id: item.id, outcome: .created)
            case .success(.replayed(let tally)):
                return .init(index: index, id: item.id, outcome: .replayed, tally: .init(tally))
            case .success(.conflict(let stored)):
                return .init(index: index, id: item.id, outcome: .conflict, tally: stored.map { .init($0) })
            case .failure(let error):
                return .init(index: index, id: item.id, outcome: .invalid, problem: Problem.invalid(error.issues))
            }
        }
        return .ok(.init(body: .json(.init(results: results))))
    }
}

extension Problem {
    static func tallyConflict(_ id: Tally.ID, stored: Tally?) -> Components.Schemas.TallyProblem {
        .init(
            _type: base + "duplicate", title: "Conflict", status: 409,
            detail: stored == nil
                ? "The id \(id) is taken; nothing was stored. Give the tally a new id."
                : "A tally \(id) was stored before with other content; nothing was stored.",
            stored: stored.map { .init($0) })
    }
}

extension Tally {
    init(_ input: Components.Schemas.TallyInput, operationID: EvacuationOperation.ID) throws(DomainError) {
        let supersedes: Tally.ID? =
            if let text = input.supersedes { try identifier(text, at: "/supersedes") } else { nil }
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
            supersedes: supersedes,
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
