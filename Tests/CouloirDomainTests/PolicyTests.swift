import CouloirDomain
import Testing

@Suite struct PolicyTests {
    static let cells = Role.allCases.flatMap { role in
        Action.allCases.flatMap { action in Relation.allCases.map { (role, action, $0) } }
    }

    @Test func everyCellOfTheMatrixIsDecidedByTheTableAlone() {
        #expect(Self.cells.count == 6 * 15 * 4)
        for (role, action, relation) in Self.cells {
            let reach = Policy.table[role]?[action] ?? .nothing
            let expected: Bool
            switch relation {
            case .own: expected = reach != .nothing
            case .sameOrganisation: expected = reach == .ownOrganisation || reach == .operationWide
            case .otherOrganisation: expected = reach == .operationWide
            case .nonMember: expected = false
            }
            #expect(Policy.allows(role, action, on: relation) == expected, "\(role) \(action) \(relation)")
        }
    }

    @Test func aWiderReachCoversEverythingANarrowerOneDoes() {
        for relation in Relation.allCases {
            for (narrow, wide) in zip(Reach.allCases, Reach.allCases.dropFirst()) where narrow.covers(relation) {
                #expect(wide.covers(relation), "\(wide) covers less than \(narrow) for \(relation)")
            }
        }
    }

    @Test(arguments: [Role.observer, .partyLiaison])
    func readersChangeNothing(_ role: Role) {
        for action in Action.allCases where action.changes {
            #expect(Policy.reach(of: role, for: action) == .nothing, "\(role) may \(action)")
        }
    }

    @Test func aMonitorNeverReachesAnotherOrganisationsRecords() {
        for action in Action.allCases {
            #expect(!Policy.allows(.monitor, action, on: .otherOrganisation), "\(action)")
        }
        #expect(Policy.allows(.monitor, .submitTally, on: .own))
        #expect(!Policy.allows(.monitor, .submitTally, on: .sameOrganisation))
    }

    @Test func aPartyLiaisonSeesOnlyWhatIsSharedWithTheirParty() {
        for action in Action.allCases {
            #expect(Policy.reach(of: .partyLiaison, for: action) <= .ownAssignment, "\(action)")
        }
    }

    @Test func onlyAdminsManageUsers() {
        for role in Role.allCases where role != .admin {
            #expect(Policy.reach(of: role, for: .manageUsers) == .nothing, "\(role)")
        }
        for action in Action.allCases {
            #expect(Policy.reach(of: .admin, for: action) == .operationWide)
        }
    }

    @Test func nobodyGrantsARoleThatAdministersMoreThanTheirOwn() {
        for role in Role.allCases {
            #expect(Policy.mayGrant(role, by: .admin), "an administrator grants \(role)")
            #expect(Policy.mayGrant(role, by: role), "\(role) grants its own role")
        }
        #expect(!Policy.mayGrant(.admin, by: .coordinator))
        #expect(Role.allCases.filter { Policy.mayGrant($0, by: .coordinator) }.count == Role.allCases.count - 1)
        #expect(!Policy.mayGrant(.coordinator, by: .analyst), "a coordinator manages tokens, an analyst does not")
        #expect(Policy.mayGrant(.monitor, by: .coordinator), "a coordinator issues a monitor's phone token")
    }
}
