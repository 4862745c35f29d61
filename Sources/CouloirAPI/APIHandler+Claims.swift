import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listClaims(_ input: Operations.ListClaims.Input) async throws -> Operations.ListClaims.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let query = input.query
        let pagination = try Pagination(list: "claims", limit: query.limit, cursor: query.cursor)
        let partyID: Party.ID? = try queryID(query.partyId, name: "partyId")
        let kind = query.kind.map { Claim.Kind(rawValue: $0.rawValue)! }
        let verification = query.verification.map { VerificationStatus(rawValue: $0.rawValue)! }
        let claims = access.visible(try await store.claims(in: operation.id)).filter { claim in
            within(claim.madeAt, from: query.from, until: query.until)
                && (partyID.map { claim.partyID == $0 } ?? true)
                && (kind.map { claim.kind == $0 } ?? true)
                && (verification.map { claim.verification == $0 } ?? true)
        }
        let page = pagination.page(of: claims) { [SortKey.instant($0.madeAt), $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Claim.init), nextCursor: page.next))))
    }

    func createClaim(_ input: Operations.CreateClaim.Input) async throws -> Operations.CreateClaim.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.recordClaim)
        let claim = try Claim(body, operationID: operation.id)
        try await store.insert(claim)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)/claims/\(claim.id)"),
                body: .json(.init(claim))))
    }

    func getClaim(_ input: Operations.GetClaim.Input) async throws -> Operations.GetClaim.Output {
        let stored = try await requireClaim(input.path.claimId, in: input.path.operationId, for: .readReports)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateClaim(_ input: Operations.UpdateClaim.Input) async throws -> Operations.UpdateClaim.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requireClaim(input.path.claimId, in: input.path.operationId, for: .recordClaim)
        guard input.headers.ifMatch != nil else { throw PreconditionError.required }
        var claim = try Claim(body, operationID: stored.record.operationID)
        claim.id = stored.record.id
        claim.verification = stored.record.verification
        claim.verificationHistory = stored.record.verificationHistory
        try claim.validate(
            in: OperationIndex(operationID: claim.operationID, parties: Set([claim.partyID].compactMap { $0 })))
        try PreconditionError.check(input.headers.ifMatch, against: stored.version, kind: "claim")
        let updated = try await store.update(claim, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    func verifyClaim(_ input: Operations.VerifyClaim.Input) async throws -> Operations.VerifyClaim.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requireClaim(input.path.claimId, in: input.path.operationId, for: .verifyReport)
        let changed = try await store.changeVerification(
            ofClaim: stored.record.id, in: stored.record.operationID,
            to: VerificationStatus(rawValue: body.status.rawValue)!, at: body.at ?? now(), reason: body.reason,
            source: Source(body.source))
        return .created(.init(headers: .init(eTag: ETag.of(changed.version)), body: .json(.init(changed.record))))
    }

    private func requireClaim(_ id: String, in operationID: String, for action: Action) async throws
        -> Versioned<Claim>
    {
        let (operation, access) = try await reach(operationID)
        guard let claimID = Claim.ID(id), let stored = try await store.versionedClaim(claimID, in: operation.id) else {
            throw StorageError.notFound(kind: "claim", id: id)
        }
        try access.require(
            action, on: RecordKey(.claim, stored.record.id), relation: access.relation(to: stored.record))
        return stored
    }
}

extension Claim {
    init(_ input: Components.Schemas.ClaimInput, operationID: EvacuationOperation.ID) throws {
        self.init(
            operationID: operationID, kind: Kind(rawValue: input.kind.rawValue)!, value: input.value,
            statement: input.statement, translation: input.translation, madeAt: input.madeAt,
            partyID: try input.partyId.map { try identifier($0, at: "/partyId") }, source: Source(input.source))
    }
}

extension Components.Schemas.Claim {
    init(_ claim: Claim) {
        self.init(
            id: claim.id.description, kind: .init(rawValue: claim.kind.rawValue)!, value: claim.value,
            statement: claim.statement, translation: claim.translation, madeAt: claim.madeAt,
            partyId: claim.partyID?.description, source: .init(claim.source),
            verification: .init(rawValue: claim.verification.rawValue)!,
            verificationHistory: claim.verificationHistory.map(Components.Schemas.VerificationChange.init))
    }
}
