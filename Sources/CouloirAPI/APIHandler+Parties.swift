import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listParties(_ input: Operations.ListParties.Input) async throws -> Operations.ListParties.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let pagination = try Pagination(list: "parties", limit: input.query.limit, cursor: input.query.cursor)
        let kind = input.query.kind.map { PartyKind(rawValue: $0.rawValue)! }
        let parties = access.visible(try await store.parties(in: operation.id), .party).filter {
            kind == nil || $0.kind == kind
        }
        let page = pagination.page(of: parties) { [$0.name, $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Party.init), nextCursor: page.next))))
    }

    func createParty(_ input: Operations.CreateParty.Input) async throws -> Operations.CreateParty.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.editPlan)
        let party = Party(body, operationID: operation.id)
        try await store.insert(party)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)/parties/\(party.id)"),
                body: .json(.init(party))))
    }

    func getParty(_ input: Operations.GetParty.Input) async throws -> Operations.GetParty.Output {
        let stored = try await requireParty(input.path.partyId, in: input.path.operationId, for: .readPlan)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateParty(_ input: Operations.UpdateParty.Input) async throws -> Operations.UpdateParty.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requireParty(input.path.partyId, in: input.path.operationId, for: .editPlan)
        guard input.headers.ifMatch != nil else { throw PreconditionError.required }
        var party = Party(body, operationID: stored.record.operationID)
        party.id = stored.record.id
        try party.validate()
        try PreconditionError.check(input.headers.ifMatch, against: stored.version, kind: "party")
        let updated = try await store.update(party, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    private func requireParty(_ id: String, in operationID: String, for action: Action) async throws
        -> Versioned<Party>
    {
        let (operation, access) = try await reach(operationID)
        guard let partyID = Party.ID(id), let stored = try await store.versionedParty(partyID, in: operation.id) else {
            throw StorageError.notFound(kind: "party", id: id)
        }
        try access.require(action, on: RecordKey(.party, partyID))
        return stored
    }
}

extension Party {
    init(_ input: Components.Schemas.PartyInput, operationID: EvacuationOperation.ID) {
        self.init(operationID: operationID, name: input.name, kind: PartyKind(rawValue: input.kind.rawValue)!)
    }
}

extension Components.Schemas.Party {
    init(_ party: Party) {
        self.init(id: party.id.description, name: party.name, kind: .init(rawValue: party.kind.rawValue)!)
    }
}
