public import CouloirDomain
public import CouloirStorage
public import Foundation

/// Which incidents or claims a list holds.
public struct ReportFilter: Sendable {
    /// Reports of what happened, or was said, in [from, until), either end open when absent.
    public var from: Date?
    public var until: Date?
    public var verification: VerificationStatus?

    public init(from: Date? = nil, until: Date? = nil, verification: VerificationStatus? = nil) {
        self.from = from
        self.until = until
        self.verification = verification
    }

    func admits(_ instant: Date, _ status: VerificationStatus) -> Bool {
        (from.map { instant >= $0 } ?? true) && (until.map { instant < $0 } ?? true)
            && (verification.map { status == $0 } ?? true)
    }
}

/// A change of verification status as asked for.
public struct VerificationStep: Sendable {
    public var to: VerificationStatus
    /// When it was decided; now when absent.
    public var at: Date?
    public var reason: String
    public var source: Source

    public init(to: VerificationStatus, at: Date?, reason: String, source: Source) {
        self.to = to
        self.at = at
        self.reason = reason
        self.source = source
    }
}

extension Core {
    /// The operation's incidents the principal may see.
    public func incidents(
        in operationID: EvacuationOperation.ID, matching filter: ReportFilter = .init(), kind: Incident.Kind? = nil,
        corridorID: Corridor.ID? = nil, sectorID: Sector.ID? = nil, as principal: Principal
    ) async throws -> [Incident] {
        let (operation, access) = try await reach(operationID, as: principal)
        return access.visible(try await base.incidents(in: operation.id)).filter { incident in
            filter.admits(incident.occurredAt, incident.verification) && (kind.map { incident.kind == $0 } ?? true)
                && (corridorID.map { incident.place == .corridor($0) } ?? true)
                && (sectorID.map { incident.place == .sector($0) } ?? true)
        }
    }

    public func incident(_ id: Incident.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<Incident>
    {
        try await incident(id, in: operationID, for: .readReports, as: principal).stored
    }

    /// Reports an incident, placed where the principal may see.
    public func report(_ incident: Incident, as principal: Principal) async throws -> Versioned<Incident> {
        let (_, access) = try await reach(incident.operationID, as: principal)
        try access.requireCreating(.reportIncident)
        try access.requireVisible(incident.place)
        try await store(for: principal).insert(incident)
        return Versioned(incident, version: 1)
    }

    /// Replaces the incident's description with `revised`'s; its verification stays.
    public func update(
        incident id: Incident.ID, in operationID: EvacuationOperation.ID, to revised: Incident,
        expecting: ExpectedVersions?, as principal: Principal
    ) async throws -> Versioned<Incident> {
        let (stored, access) = try await incident(id, in: operationID, for: .reportIncident, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.id
        revised.operationID = stored.record.operationID
        revised.verification = stored.record.verification
        revised.verificationHistory = stored.record.verificationHistory
        try revised.validate(in: OperationIndex(permissive: revised))
        try access.requireVisible(revised.place)
        try expected.check(stored.version, kind: "incident")
        return try await store(for: principal).update(revised, from: stored.version)
    }

    /// The incident, for a form that changes its verification: forbidden unless the
    /// principal may, as the change itself would be.
    public func incidentForVerifying(_ id: Incident.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<Incident>
    {
        try await incident(id, in: operationID, for: .verifyReport, as: principal).stored
    }

    public func verify(
        incident id: Incident.ID, in operationID: EvacuationOperation.ID, _ step: VerificationStep,
        as principal: Principal
    ) async throws -> Versioned<Incident> {
        let (stored, _) = try await incident(id, in: operationID, for: .verifyReport, as: principal)
        return try await store(for: principal).changeVerification(
            ofIncident: stored.record.id, in: stored.record.operationID, to: step.to, at: step.at ?? now(),
            reason: step.reason, source: step.source)
    }

    private func incident(
        _ id: Incident.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> (stored: Versioned<Incident>, access: OperationAccess) {
        // Seen where it happened (a monitor sees the incidents on its corridor), but
        // changed by whoever reported it: amending a report is not reporting.
        let amending = action == .reportIncident
        let found = try await reach(
            .incident, id, in: operationID, for: amending ? .readReports : action, as: principal,
            relation: { $1.relation(to: $0) }, read: { try await base.versionedIncident(id, in: $0) })
        if amending, !found.access.may(action, on: found.access.relation(to: RecordKey(.incident, id))) {
            throw CoreError.forbidden(kind: "incident", id: id.description, action: action)
        }
        return (found.stored, found.access)
    }
}

extension Core {
    /// The operation's claims the principal may see.
    public func claims(
        in operationID: EvacuationOperation.ID, matching filter: ReportFilter = .init(), kind: Claim.Kind? = nil,
        partyID: Party.ID? = nil, as principal: Principal
    ) async throws -> [Claim] {
        let (operation, access) = try await reach(operationID, as: principal)
        return access.visible(try await base.claims(in: operation.id)).filter { claim in
            filter.admits(claim.madeAt, claim.verification) && (kind.map { claim.kind == $0 } ?? true)
                && (partyID.map { claim.partyID == $0 } ?? true)
        }
    }

    public func claim(_ id: Claim.ID, in operationID: EvacuationOperation.ID, as principal: Principal) async throws
        -> Versioned<Claim>
    {
        try await claim(id, in: operationID, for: .readReports, as: principal)
    }

    public func record(_ claim: Claim, as principal: Principal) async throws -> Versioned<Claim> {
        let (_, access) = try await reach(claim.operationID, as: principal)
        try access.requireCreating(.recordClaim)
        try await store(for: principal).insert(claim)
        return Versioned(claim, version: 1)
    }

    /// Replaces the claim's description with `revised`'s; its verification stays.
    public func update(
        claim id: Claim.ID, in operationID: EvacuationOperation.ID, to revised: Claim, expecting: ExpectedVersions?,
        as principal: Principal
    ) async throws -> Versioned<Claim> {
        let stored = try await claim(id, in: operationID, for: .recordClaim, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.id
        revised.operationID = stored.record.operationID
        revised.verification = stored.record.verification
        revised.verificationHistory = stored.record.verificationHistory
        try revised.validate(
            in: OperationIndex(operationID: revised.operationID, parties: Set([revised.partyID].compactMap { $0 })))
        try expected.check(stored.version, kind: "claim")
        return try await store(for: principal).update(revised, from: stored.version)
    }

    /// The claim, for a form that changes its verification: forbidden unless the
    /// principal may, as the change itself would be.
    public func claimForVerifying(_ id: Claim.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<Claim>
    {
        try await claim(id, in: operationID, for: .verifyReport, as: principal)
    }

    public func verify(
        claim id: Claim.ID, in operationID: EvacuationOperation.ID, _ step: VerificationStep, as principal: Principal
    ) async throws -> Versioned<Claim> {
        let stored = try await claim(id, in: operationID, for: .verifyReport, as: principal)
        return try await store(for: principal).changeVerification(
            ofClaim: stored.record.id, in: stored.record.operationID, to: step.to, at: step.at ?? now(),
            reason: step.reason, source: step.source)
    }

    private func claim(
        _ id: Claim.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> Versioned<Claim> {
        try await reach(
            .claim, id, in: operationID, for: action, as: principal, relation: { $1.relation(to: $0) },
            read: { try await base.versionedClaim(id, in: $0) }
        ).stored
    }
}

extension OperationIndex {
    /// An index that knows the record `incident` is placed at, for checking the
    /// incident's own rules before storage checks its references.
    init(permissive incident: Incident) {
        switch incident.place {
        case .corridor(let id): self.init(operationID: incident.operationID, corridors: [id])
        case .sector(let id): self.init(operationID: incident.operationID, sectors: [id])
        case .point: self.init(operationID: incident.operationID)
        }
    }
}
