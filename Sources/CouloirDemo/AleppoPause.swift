import CouloirDomain

extension AleppoOctober2016 {
    /// "Pendant la pause humanitaire, qui a duré du 20 au 22 octobre, huit couloirs
    /// humanitaires ont été ouverts" — then suspended, with conditions for resuming it.
    func makePause(ids: inout DemoIDs, corridors: [Corridor]) -> Pause {
        var pause = Pause(
            id: ids.next(), operationID: operation.id, name: "Humanitarian pause, 20–22 October 2016",
            windows: [
                .daily(
                    DailyHours(
                        firstDay: day("2016-10-20"), lastDay: day("2016-10-22"), opens: time("08:00"),
                        closes: time("19:00")))
            ],
            sectorIDs: [eastNorth.id, eastCentre.id, eastSouth.id],
            corridorIDs: corridors.map(\.id),
            conditions: [
                "Purpose stated by the Russian General Staff: let civilians pass, evacuate the sick and wounded, and let fighters leave.",
                "To resume the pause, international organisations must guarantee their intention to evacuate the civilian population of the besieged city.",
            ],
            guarantees: [
                Guarantee(
                    partyID: government.id, stance: .acknowledged,
                    statement: "Announced the pause and opened eight corridors: six for civilians, two for fighters.",
                    at: instant("2016-10-19T18:00:00+03:00"), source: DemoSources.rudskoyOctober),
                Guarantee(
                    partyID: opposition.id, stance: .pending,
                    statement: "No acknowledgement is recorded in the sources.",
                    at: instant("2016-10-19T18:00:00+03:00"), source: DemoSources.illustrative("Coordination cell")),
                Guarantee(
                    partyID: unitedNations.id, stance: .pending,
                    statement: "Asked, as a condition for resuming, to guarantee the intention to evacuate civilians.",
                    at: instant("2016-10-24T12:00:00+03:00"), source: DemoSources.konashenkovOctober),
            ],
            proposedAt: instant("2016-10-17T12:00:00+03:00"),
            source: DemoSources.rudskoyOctober)

        let illustrative = DemoSources.illustrative("Coordination cell (illustrative step)")
        let steps: [(PauseState, String, String, String, Source)] = [
            (
                .agreed, "2016-10-19T18:00:00+03:00", "Government forces and allies",
                "Pause announced for 20 October and extended day by day to 22 October.", DemoSources.rudskoyOctober
            ),
            (
                .active, "2016-10-20T08:00:00+03:00", "Coordination cell",
                "First window opens.", illustrative
            ),
            (
                .suspended, "2016-10-21T11:00:00+03:00", "Coordination cell",
                "Illustrative: firing reported near a crossing; movement halted.", illustrative
            ),
            (
                .active, "2016-10-21T14:00:00+03:00", "Coordination cell",
                "Illustrative: firing stopped; movement resumes.", illustrative
            ),
            (
                .suspended, "2016-10-22T19:00:00+03:00", "Government forces and allies",
                "Pause suspended provisionally after its last window; Russia and Syria say they are ready to restore it on conditions.",
                DemoSources.konashenkovOctober
            ),
        ]
        for (state, at, actor, reason, source) in steps {
            do {
                try pause.transition(to: state, at: instant(at), actor: actor, reason: reason, source: source)
            } catch {
                preconditionFailure("demo pause step to \(state) refused: \(error)")
            }
        }
        return pause
    }
}
