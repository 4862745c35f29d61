public import CouloirDomain
public import CouloirStorage

extension Core {
    /// The operations the principal may read, by name: never one its organisation takes
    /// no part in.
    public func operations(as principal: Principal) async throws -> [EvacuationOperation] {
        let memberships = try await base.memberships()
        let operations = try await base.operations().filter {
            memberships[$0.id]?.contains(principal.organisationID) == true
        }
        if principal.reach(for: .readPlan) == .operationWide { return operations }
        let owners = try await base.operationOwners()
        var readable: [EvacuationOperation] = []
        for operation in operations {
            var relation = OperationAccess.relation(of: owners[operation.id], to: principal)
            // An assignment can make an operation the principal's own: only its plan tells.
            if !principal.may(.readPlan, on: relation), !principal.assignment.isEmpty {
                relation = try await access(to: operation.id, as: principal).operationRelation
            }
            if principal.may(.readPlan, on: relation) { readable.append(operation) }
        }
        return readable
    }

    public func operation(_ id: EvacuationOperation.ID, as principal: Principal) async throws
        -> Versioned<EvacuationOperation>
    {
        let (operation, _) = try await reach(id, as: principal)
        guard let stored = try await base.versionedOperation(operation.id) else {
            throw CoreError.hidden(kind: "operation", id: id.description)
        }
        return stored
    }

    /// Whether the principal may create an operation, as `create(_:as:)` decides.
    public func mayCreateOperation(as principal: Principal) -> Bool {
        principal.may(.editOperation, on: .own)
    }

    /// The operation as stored, for a form that edits it: forbidden unless the principal
    /// may, as the update itself would be.
    public func operationForEditing(_ id: EvacuationOperation.ID, as principal: Principal) async throws
        -> Versioned<EvacuationOperation>
    {
        let (operation, access) = try await reach(id, as: principal)
        try access.require(.editOperation, on: RecordKey(.operation, id), relation: access.operationRelation)
        guard let stored = try await base.versionedOperation(operation.id) else {
            throw CoreError.hidden(kind: "operation", id: id.description)
        }
        return stored
    }

    /// Creates an operation; it belongs to the principal's organisation.
    public func create(_ operation: EvacuationOperation, as principal: Principal) async throws
        -> Versioned<EvacuationOperation>
    {
        guard mayCreateOperation(as: principal) else { throw CoreError.forbiddenAction(.editOperation) }
        try await store(for: principal).insert(operation)
        return Versioned(operation, version: 1)
    }

    /// Replaces the operation's description with `revised`'s.
    public func update(
        operation id: EvacuationOperation.ID, to revised: EvacuationOperation, expecting: ExpectedVersions?,
        as principal: Principal
    ) async throws -> Versioned<EvacuationOperation> {
        let stored = try await operationForEditing(id, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.id
        // A record that could never be stored is refused as such, whatever its version.
        try revised.validate()
        try expected.check(stored.version, kind: "operation")
        return try await store(for: principal).update(revised, from: stored.version)
    }
}
