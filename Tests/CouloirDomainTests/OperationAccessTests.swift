import CouloirDomain
import Foundation
import Testing

/// How records stand to a caller: by who made them, by assignment, and a checkpoint made
/// with its corridor as the corridor.
@Suite struct OperationAccessTests {
    let fixture = Fixture()
    let mine = Organisation.ID()
    let theirs = Organisation.ID()

    func principal(_ role: Role, _ assignment: Assignment = Assignment()) -> Principal {
        Principal(actor: .device(AccessToken.ID()), organisationID: mine, role: role, assignment: assignment)
    }

    func access(
        _ principal: Principal, owners: [RecordKey: RecordOwner], pauses: [Pause] = [],
        members: Set<Organisation.ID>? = nil
    ) -> OperationAccess {
        OperationAccess(
            principal: principal, operationID: fixture.operation.id, members: members ?? [mine, theirs],
            owners: owners, corridors: [fixture.corridor], pauses: pauses, parties: [fixture.party])
    }

    @Test(arguments: Role.allCases)
    func anOrganisationTakingNoPartInTheOperationReachesNothingOfIt(_ role: Role) {
        let caller = principal(
            role, role == .monitor ? Assignment(checkpointIDs: fixture.corridor.checkpoints.map(\.id)) : Assignment())
        let own = RecordOwner(caller)
        let keys = [
            RecordKey(.operation, fixture.operation.id), RecordKey(.party, fixture.party.id),
            RecordKey(.corridor, fixture.corridor.id),
        ]
        let outsider = access(
            caller, owners: Dictionary(uniqueKeysWithValues: keys.map { ($0, own) }), members: [theirs])
        #expect(!outsider.isMember)
        #expect(outsider.operationRelation == .nonMember)
        for key in keys {
            #expect(outsider.relation(to: key) == .nonMember, "\(key.kind), even made by the caller")
            for action in Action.allCases { #expect(!outsider.may(action, on: outsider.relation(to: key))) }
        }
        let member = access(caller, owners: Dictionary(uniqueKeysWithValues: keys.map { ($0, own) }))
        #expect(member.relation(to: keys[1]) == .own)
    }

    @Test func aRecordStandsByWhoMadeIt() {
        let caller = principal(.analyst)
        let colleague = RecordOwner(organisationID: mine, actor: .user(User.ID()))
        let stranger = RecordOwner(organisationID: theirs, actor: .user(User.ID()))
        let claims = (0..<4).map { _ in Claim.ID() }
        let access = access(
            caller,
            owners: [
                RecordKey(.claim, claims[0]): RecordOwner(caller), RecordKey(.claim, claims[1]): colleague,
                RecordKey(.claim, claims[2]): stranger,
            ])
        #expect(access.relation(to: RecordKey(.claim, claims[0])) == .own)
        #expect(access.relation(to: RecordKey(.claim, claims[1])) == .sameOrganisation)
        #expect(access.relation(to: RecordKey(.claim, claims[2])) == .otherOrganisation)
        #expect(access.relation(to: RecordKey(.claim, claims[3])) == .otherOrganisation, "nobody recorded")
    }

    @Test func aCheckpointMadeWithItsCorridorStandsAsTheCorridor() {
        let colleague = RecordOwner(organisationID: mine, actor: .user(User.ID()))
        let access = access(principal(.monitor), owners: [RecordKey(.corridor, fixture.corridor.id): colleague])
        #expect(access.relation(toTallyAt: fixture.checkpoint.id) == .sameOrganisation)
        let stranger = RecordOwner(organisationID: theirs, actor: .user(User.ID()))
        let own = access.relation(toTallyAt: fixture.checkpoint.id)
        let foreign = self.access(
            principal(.monitor),
            owners: [
                RecordKey(.corridor, fixture.corridor.id): colleague,
                RecordKey(.checkpoint, fixture.checkpoint.id): stranger,
            ]
        ).relation(toTallyAt: fixture.checkpoint.id)
        #expect(own == .sameOrganisation && foreign == .otherOrganisation, "its own maker first")
    }

    @Test func aMonitorsAssignmentReachesItsCheckpointCorridorAndThePausesOverIt() {
        let pause = Pause(
            operationID: fixture.operation.id, name: "Pause", windows: [], corridorIDs: [fixture.corridor.id],
            proposedAt: Date(), source: testSource)
        let elsewhere = Pause(
            operationID: fixture.operation.id, name: "Elsewhere", windows: [], corridorIDs: [Corridor.ID()],
            proposedAt: Date(), source: testSource)
        let access = access(
            principal(.monitor, Assignment(checkpointIDs: [fixture.checkpoint.id])), owners: [:],
            pauses: [pause, elsewhere])
        #expect(access.operationRelation == .own)
        #expect(access.relation(toTallyAt: fixture.checkpoint.id) == .own)
        #expect(access.relation(to: RecordKey(.corridor, fixture.corridor.id)) == .own)
        #expect(access.relation(to: RecordKey(.sector, fixture.origin.id)) == .own)
        #expect(access.relation(to: RecordKey(.pause, pause.id)) == .own)
        #expect(access.relation(to: RecordKey(.pause, elsewhere.id)) == .otherOrganisation)
        #expect(access.relation(to: RecordKey(.party, fixture.party.id)) == .otherOrganisation)
    }

    @Test func aLiaisonsPartyIsSharedWhatItIsAskedToGuarantee() {
        let asked = Pause(
            operationID: fixture.operation.id, name: "Asked", windows: [], corridorIDs: [fixture.corridor.id],
            guarantees: [
                Guarantee(partyID: fixture.party.id, stance: .pending, statement: "", at: Date(), source: testSource)
            ],
            proposedAt: Date(), source: testSource)
        let notAsked = Pause(
            operationID: fixture.operation.id, name: "Not asked", windows: [], corridorIDs: [fixture.corridor.id],
            proposedAt: Date(), source: testSource)
        let liaison = principal(.partyLiaison, Assignment(partyID: fixture.party.id))
        let access = access(liaison, owners: [:], pauses: [asked, notAsked])
        #expect(access.relation(to: RecordKey(.pause, asked.id)) == .own)
        #expect(access.relation(to: RecordKey(.pause, notAsked.id)) == .otherOrganisation)
        #expect(access.relation(to: RecordKey(.corridor, fixture.corridor.id)) == .own)
        #expect(access.relation(toTallyAt: fixture.checkpoint.id) == .own)
        #expect(access.relation(to: RecordKey(.party, fixture.party.id)) == .own)
        let claim = Claim(
            operationID: fixture.operation.id, kind: .statement, statement: "We opened the road",
            madeAt: Date(), partyID: fixture.party.id, source: testSource)
        #expect(access.relation(to: claim) == .own)
        let stranger = self.access(
            principal(.partyLiaison, Assignment(partyID: Party.ID())), owners: [:], pauses: [asked])
        #expect(
            stranger.scope.isEmpty && stranger.operationRelation == .otherOrganisation, "a party of no operation here")
    }
}
