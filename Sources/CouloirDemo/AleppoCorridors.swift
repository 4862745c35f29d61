import CouloirDomain

extension AleppoOctober2016 {
    /// "huit couloirs humanitaires ont été ouverts pour assurer la sortie de la ville:
    /// six pour les civils, deux pour les insurgés." The reports give no names or routes:
    /// these are made up.
    func makeCorridors(ids: inout DemoIDs) -> [Corridor] {
        struct Plan {
            let code: String
            let name: String
            let origin: Sector
            let from: Position
            let to: Position
            let groups: Set<Group>
            let capacity: Int
        }
        let toWest = "Government-held west Aleppo"
        let plans = [
            Plan(
                code: "C1", name: "Bustan al-Qasr crossing", origin: eastCentre,
                from: Position(longitude: 37.170, latitude: 36.195), to: Position(longitude: 37.145, latitude: 36.193),
                groups: [.civilians, .sickAndWounded], capacity: 600),
            Plan(
                code: "C2", name: "Masaken Hanano road", origin: eastNorth,
                from: Position(longitude: 37.190, latitude: 36.225), to: Position(longitude: 37.150, latitude: 36.240),
                groups: [.civilians], capacity: 500),
            Plan(
                code: "C3", name: "Sheikh Maqsoud road", origin: eastNorth,
                from: Position(longitude: 37.170, latitude: 36.235), to: Position(longitude: 37.150, latitude: 36.228),
                groups: [.civilians], capacity: 400),
            Plan(
                code: "C4", name: "Salah al-Din crossing", origin: eastSouth,
                from: Position(longitude: 37.160, latitude: 36.185), to: Position(longitude: 37.140, latitude: 36.184),
                groups: [.civilians, .sickAndWounded], capacity: 500),
            Plan(
                code: "C5", name: "Ramouseh road", origin: eastSouth,
                from: Position(longitude: 37.175, latitude: 36.170), to: Position(longitude: 37.150, latitude: 36.165),
                groups: [.civilians], capacity: 400),
            Plan(
                code: "C6", name: "Sheikh Saeed road", origin: eastSouth,
                from: Position(longitude: 37.190, latitude: 36.175), to: Position(longitude: 37.200, latitude: 36.155),
                groups: [.civilians, .humanitarianConvoy], capacity: 300),
            Plan(
                code: "F1", name: "Castello Road", origin: eastNorth,
                from: Position(longitude: 37.165, latitude: 36.240), to: Position(longitude: 37.130, latitude: 36.280),
                groups: [.fighters], capacity: 200),
            Plan(
                code: "F2", name: "Souk al-Hal road", origin: eastCentre,
                from: Position(longitude: 37.175, latitude: 36.205), to: Position(longitude: 37.120, latitude: 36.260),
                groups: [.fighters], capacity: 200),
        ]
        return plans.enumerated().map { index, plan in
            let middle = Position(
                longitude: (plan.from.longitude + plan.to.longitude) / 2,
                latitude: (plan.from.latitude + plan.to.latitude) / 2)
            let forFighters = plan.groups == [.fighters]
            return Corridor(
                id: ids.next(), operationID: operation.id, code: plan.code, name: plan.name,
                originSectorID: plan.origin.id,
                destinationSectorID: forFighters ? nil : west.id,
                destination: forFighters ? "Idlib province, outside the city" : toWest,
                route: LineString([plan.from, middle, plan.to]),
                allowedGroups: plan.groups, capacityPerHour: plan.capacity,
                checkpoints: [
                    Checkpoint(
                        id: ids.next(), name: "\(plan.name) checkpoint", location: Point(middle),
                        monitorTeams: ["SARC team \(index + 1)"])
                ],
                source: Source(
                    name: "Russian Ministry of Defence (count of corridors); names and routes made up",
                    kind: .party, reference: DemoSources.octoberReport, illustrative: true))
        }
    }
}
