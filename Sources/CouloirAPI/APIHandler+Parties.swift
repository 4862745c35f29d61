import CouloirCore
import CouloirDomain
import Foundation

extension APIHandler {
    func listParties(_ input: Operations.ListParties.Input) async throws -> Operations.ListParties.Output {
        let pagination = try Pagination(
            list: "parties", limit: input.query.limit, cursor: input.query.cursor, signer: cursors)
        let parties = try await core.parties(
            in: try pathID(input.path.operationId, "operation"),
            kind: input.query.kind.map { PartyKind(rawValue: $0.rawValue)! }, as: principal)
        let page = pagination.page(of: parties) { [$0.name, $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Party.init), nextCursor: page.next))))
    }

    func createParty(_ input: Operations.CreateParty.Input) async throws -> Operations.CreateParty.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let created = try await core.create(Party(body, operationID: operationID), as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(created.version),
                    location: "/api/v1/operations/\(operationID)/parties/\(created.record.id)"),
                body: .json(.init(created.record))))
    }

    func getParty(_ input: Operations.GetParty.Input) async throws -> Operations.GetParty.Output {
        let stored = try await core.party(
            try pathID(input.path.partyId, "party"), in: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateParty(_ input: Operations.UpdateParty.Input) async throws -> Operations.UpdateParty.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let updated = try await core.update(
            party: try pathID(input.path.partyId, "party"), in: operationID,
            to: Party(body, operationID: operationID), expecting: ETag.expected(input.headers.ifMatch),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
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
