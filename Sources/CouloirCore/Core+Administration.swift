import CouloirAccess
public import CouloirDomain
public import CouloirStorage

/// What an organisation's administration may do, as the policy says for the principal:
/// manage its users, manage its access tokens.
public struct AdministrationRights: Hashable, Sendable {
    public var users: Bool
    public var tokens: Bool

    public var any: Bool { users || tokens }
}

/// A user just added, with the password made for them: the one time it is seen.
public struct NewUser: Sendable {
    public var user: User
    public var password: String
}

/// Managing an organisation's users and access tokens, for any face. Users and tokens
/// belong to one organisation: a principal manages those of its own and sees no other's.
/// Nobody grants a role that administers more than their own (`Policy.mayGrant`).
extension Core {
    public func administration(as principal: Principal) -> AdministrationRights {
        AdministrationRights(users: administers(.manageUsers, principal), tokens: administers(.manageTokens, principal))
    }

    public func users(as principal: Principal) async throws -> [User] {
        try require(.manageUsers, principal)
        return try await base.users(of: principal.organisationID).map(\.user)
    }

    /// Adds a user to the principal's organisation with a new password of 16 characters
    /// from an alphabet without look-alikes (about 92 bits), returned once.
    public func addUser(login: String, role: Role, assignment: Assignment, as principal: Principal) async throws
        -> NewUser
    {
        try require(.manageUsers, principal)
        try requireGrantable(role, by: principal, at: "/role")
        let user = User(
            organisationID: principal.organisationID, login: login.lowercased(), role: role, assignment: assignment)
        try user.validate()
        try await requireReachable(assignment, of: principal)
        let password = GeneratedPassword.make()
        let hash = try await PasswordHasher().hash(password)
        do {
            try await store(for: principal).insert(user, passwordHash: hash)
        } catch StorageError.duplicate(kind: "user", _) {
            throw DomainError.invalid([FieldIssue("/login", "is taken")])
        }
        return NewUser(user: user, password: password)
    }

    /// Disables or re-enables a user of the principal's organisation; a disabled user's
    /// sessions end at once. Nobody disables themselves: an organisation keeps the
    /// administrator who could undo it.
    public func setUser(_ id: User.ID, disabled: Bool, as principal: Principal) async throws -> User {
        try require(.manageUsers, principal)
        guard let stored = try await base.user(id), stored.user.organisationID == principal.organisationID else {
            throw CoreError.hidden(kind: "user", id: id.description)
        }
        if disabled, principal.actor == .user(id) {
            throw DomainError.conflict("you cannot disable yourself")
        }
        return try await store(for: principal).setDisabled(disabled, user: id).user
    }

    public func tokens(as principal: Principal) async throws -> [StoredToken] {
        try require(.manageTokens, principal)
        return try await base.tokens(of: principal.organisationID)
    }

    /// Issues a token of the principal's organisation; its secret is returned once.
    public func issueToken(label: String, role: Role, assignment: Assignment, as principal: Principal) async throws
        -> (token: AccessToken, secret: String)
    {
        try require(.manageTokens, principal)
        try requireGrantable(role, by: principal, at: "/role")
        let token = AccessToken(
            organisationID: principal.organisationID, label: label, role: role, assignment: assignment,
            issuedAt: now())
        try token.validate()
        try await requireReachable(assignment, of: principal)
        return (token, try await store(for: principal).issue(token))
    }

    public func revokeToken(_ id: AccessToken.ID, as principal: Principal) async throws -> StoredToken {
        try require(.manageTokens, principal)
        guard try await base.tokens(of: principal.organisationID).contains(where: { $0.token.id == id }) else {
            throw CoreError.hidden(kind: "token", id: id.description)
        }
        return try await store(for: principal).revoke(id, at: now())
    }

    /// Whether the principal does `action` to its own organisation's users or tokens.
    private func administers(_ action: Action, _ principal: Principal) -> Bool {
        Policy.allows(principal.role, action, on: .sameOrganisation)
    }

    private func require(_ action: Action, _ principal: Principal) throws(CoreError) {
        guard administers(action, principal) else { throw .forbiddenAction(action) }
    }

    private func requireGrantable(_ role: Role, by principal: Principal, at pointer: String) throws(DomainError) {
        guard Policy.mayGrant(role, by: principal.role) else {
            throw .invalid([FieldIssue(pointer, "only an administrator grants the administrator's role")])
        }
    }

    /// An assignment names only checkpoints and parties of the operations the principal's
    /// organisation takes part in.
    private func requireReachable(_ assignment: Assignment, of principal: Principal) async throws {
        guard !assignment.isEmpty else { return }
        let memberships = try await base.memberships()
        var checkpoints: Set<Checkpoint.ID> = []
        var parties: Set<Party.ID> = []
        for (operationID, members) in memberships where members.contains(principal.organisationID) {
            for corridor in try await base.corridors(in: operationID) {
                checkpoints.formUnion(corridor.checkpoints.map(\.id))
            }
            parties.formUnion(try await base.parties(in: operationID).map(\.id))
        }
        var validator = Validator()
        for id in assignment.checkpointIDs where !checkpoints.contains(id) {
            validator.fail("/assignment/checkpointIds", "no checkpoint \(id) in your organisation's operations")
        }
        if let party = assignment.partyID, !parties.contains(party) {
            validator.fail("/assignment/partyId", "no party \(party) in your organisation's operations")
        }
        try validator.finish()
    }
}
