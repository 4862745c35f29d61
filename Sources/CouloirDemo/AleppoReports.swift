import CouloirDomain

extension AleppoOctober2016 {
    /// Figures and statements as the reports attribute them.
    func makeClaims(ids: inout DemoIDs) -> [Claim] {
        [
            Claim(
                id: ids.next(), operationID: operation.id, kind: .controlShare, value: 93,
                statement:
                    "Les forces fidèles au président syrien Bachar al-Assad contrôlent désormais 93% de l'ensemble de la ville d'Alep.",
                translation:
                    "Forces loyal to Syrian President Bashar al-Assad now control 93% of the whole city of Aleppo.",
                madeAt: instant("2016-12-10T12:00:00+02:00"), partyID: government.id,
                source: DemoSources.konashenkovDecember),
            Claim(
                id: ids.next(), operationID: operation.id, kind: .corridorsOpen, value: 8,
                statement:
                    "Pendant la pause humanitaire, qui a duré du 20 au 22 octobre, huit couloirs humanitaires ont été ouverts pour assurer la sortie de la ville: six pour les civils, deux pour les insurgés.",
                translation:
                    "During the humanitarian pause, which lasted from 20 to 22 October, eight humanitarian corridors were opened for leaving the city: six for civilians, two for insurgents.",
                madeAt: instant("2016-10-24T12:00:00+03:00"), partyID: government.id,
                source: DemoSources.konashenkovOctober),
            Claim(
                id: ids.next(), operationID: operation.id, kind: .statement,
                statement:
                    "Les habitants quittent en flot continu (les quartiers insurgés) grâce aux couloirs humanitaires pour se rendre dans la partie de la ville contrôlée par le gouvernement.",
                translation:
                    "Residents are leaving (the insurgent-held districts) in a continuous flow through the humanitarian corridors for the government-controlled part of the city.",
                madeAt: instant("2016-12-10T10:00:00+02:00"), partyID: government.id,
                source: DemoSources.konashenkovDecember),
            Claim(
                id: ids.next(), operationID: operation.id, kind: .statement,
                statement:
                    "Les forces antigouvernementales contrôlant les quartiers est d'Alep ont empêché les habitants locaux de le faire.",
                translation:
                    "Anti-government forces controlling the eastern districts of Aleppo prevented local residents from doing so.",
                madeAt: instant("2016-10-24T12:00:00+03:00"), partyID: government.id,
                source: DemoSources.konashenkovOctober),
            Claim(
                id: ids.next(), operationID: operation.id, kind: .statement,
                statement:
                    "L'offensive des forces gouvernementales syriennes à Alep reprendra dès que les civils auront été évacués des derniers secteurs tenus par les rebelles dans l'est de la ville.",
                translation:
                    "The Syrian government forces' offensive in Aleppo will resume as soon as civilians have been evacuated from the last rebel-held sectors in the east of the city.",
                madeAt: instant("2016-12-10T12:00:00+02:00"), partyID: government.id,
                source: DemoSources.konashenkovDecember),
        ]
    }

    func makeIncidents(ids: inout DemoIDs) -> [Incident] {
        [
            Incident(
                id: ids.next(), operationID: operation.id, kind: .obstruction,
                occurredAt: instant("2016-10-20T08:00:00+03:00"), timePrecision: .week,
                place: .sector(eastCentre.id), placePrecision: .area, severity: .high,
                summary:
                    "Residents of the eastern districts prevented from leaving during the pause by the anti-government forces controlling them, according to the Russian Ministry of Defence.",
                reportedBy: "Russian Ministry of Defence", source: DemoSources.konashenkovOctober,
                verification: .unverified)
        ]
    }
}
