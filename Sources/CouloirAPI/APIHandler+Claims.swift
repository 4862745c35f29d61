import CouloirCore
import CouloirDomain
import Foundation

extension APIHandler {
    func listClaims(_ input: Operations.ListClaims.Input) async throws -> Operations.ListClaims.Output {
        let query = input.query
        let pagination = try Pagination(list: "claims", limit: query.limit, cursor: query.cursor, signer: cursors)
        let claims = try await core.claims(
            in: try pathID(input.path.operationId, "operation"),
            matching: ReportFilter(
                from: query.from, until: query.until,
                verification: query.verification.map { VerificationStatus(rawValue: $0.rawValue)! }),
            kind: query.kind.map { Claim.Kind(rawValue: $0.rawValue)! },
            partyID: try queryID(query.partyId, name: "partyId"), as: principal)
        let page = pagination.page(of: claims) { [SortKey.instant($0.madeAt), $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Claim.init), nextCursor: page.next))))
    }

    func createClaim(_ input: Operations.CreateClaim.Input) async throws -> Operations.CreateClaim.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let recorded = try await core.record(try Claim(body, operationID: operationID), as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(recorded.version),
                    location: "/api/v1/operations/\(operationID)/claims/\(recorded.record.id)"),
                body: .json(.init(recorded.record))))
    }

    func getClaim(_ input: Operations.GetClaim.Input) async throws -> Operations.GetClaim.Output {
        let stored = try await core.claim(
            try pathID(input.path.claimId, "claim"), in: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateClaim(_ input: Operations.UpdateClaim.Input) async throws -> Operations.UpdateClaim.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let updated = try await core.update(
            claim: try pathID(input.path.claimId, "claim"), in: operationID,
            to: try Claim(body, operationID: operationID), expecting: ETag.expected(input.headers.ifMatch),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    func verifyClaim(_ input: Operations.VerifyClaim.Input) async throws -> Operations.VerifyClaim.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let changed = try await core.verify(
            claim: try pathID(input.path.claimId, "claim"), in: try pathID(input.path.operationId, "operation"),
            VerificationStep(body), as: principal)
        return .created(.init(headers: .init(eTag: ETag.of(changed.version)), body: .json(.init(changed.record))))
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
