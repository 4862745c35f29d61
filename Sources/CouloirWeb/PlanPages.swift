import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// The rest of an operation's plan: a sector (its population estimate and who
/// controlled it when), a party (its kind, what it controls, what it guaranteed and
/// claimed), and the tallies counted at a checkpoint, corrections shown as such.
extension WebFace {
    func addPlanPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/sectors/:sector") { page in
            let visit = page.visit
            let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
            let operation = try await core.operation(operationID, as: visit.principal).record
            let sector = try await core.sector(
                try page.id("sector", kind: "sector"), in: operationID, as: visit.principal
            )
            .record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let base = "/operations/\(operation.id)"
            let parties = try await partyLinks(operation, visit)
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            var row: [String: Any] = ["name": sector.name]
            if let pcode = sector.pcode { row["pcode"] = pcode }
            if let population = sector.population {
                row["population"] = visit.text(
                    "sector.population_range",
                    [
                        "value": formats.number(population.value), "low": formats.number(population.low),
                        "high": formats.number(population.high),
                    ])
                row["asOf"] = population.asOf.description
                row["populationSource"] = visit.source(population.source)
            }
            row["control"] = sector.control.reversed().map { period -> [String: Any] in
                var entry: [String: Any] = [
                    "since": formats.instant(period.since), "source": visit.source(period.source),
                ]
                if let party = parties[period.partyID] { entry.merge(party) { first, _ in first } }
                return entry
            }
            row["corridors"] = try await core.corridors(in: operationID, at: core.now(), as: visit.principal)
                .filter { $0.corridor.originSectorID == sector.id || $0.corridor.destinationSectorID == sector.id }
                .map {
                    [
                        "name": "\($0.corridor.code) · \($0.corridor.name)",
                        "link": "\(base)/corridors/\($0.corridor.id)",
                    ]
                }
            if (try? await core.sectorForEditing(sector.id, in: operationID, as: visit.principal)) != nil {
                row["editLink"] = "\(base)/sectors/\(sector.id)/edit"
                row["controlLink"] = "\(base)/sectors/\(sector.id)/control"
            }
            view["sector"] = row
            view["history"] = try await historyView(
                .sector, sector.id.description, in: operation, formats: formats, visit: visit)
            return pages.render("sector", title: sector.name, view: view, visit: visit)
        }
        page(router, "/operations/:operation/parties/:party") { page in
            let visit = page.visit
            let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
            let operation = try await core.operation(operationID, as: visit.principal).record
            let party = try await core.party(try page.id("party", kind: "party"), in: operationID, as: visit.principal)
                .record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let base = "/operations/\(operation.id)"
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            let now = core.now()
            view["party"] =
                [
                    "name": party.name, "kind": visit.label("party_kind", party.kind),
                    "controls": try await core.sectors(
                        in: operationID, controlledBy: party.id, at: now, as: visit.principal
                    )
                    .map { ["name": $0.name, "link": "\(base)/sectors/\($0.id)"] },
                    "guarantees": try await core.pauses(in: operationID, as: visit.principal).flatMap { pause in
                        pause.guarantees.filter { $0.partyID == party.id }.map { guarantee -> [String: Any] in
                            [
                                "pause": pause.name, "link": "\(base)/pauses/\(pause.id)",
                                "stance": visit.label("stance", guarantee.stance), "statement": guarantee.statement,
                            ]
                        }
                    },
                ] as [String: Any]
            if (try? await core.partyForEditing(party.id, in: operationID, as: visit.principal)) != nil {
                view["editLink"] = "\(base)/parties/\(party.id)/edit"
            }
            view["claims"] = try await core.claims(in: operationID, partyID: party.id, as: visit.principal)
                .sorted { $0.madeAt > $1.madeAt }
                .map { claimRow($0, base: base, parties: [party.id: party.name], formats: formats, visit: visit) }
            view["history"] = try await historyView(
                .party, party.id.description, in: operation, formats: formats, visit: visit)
            return pages.render("party", title: party.name, view: view, visit: visit)
        }
        page(router, "/operations/:operation/checkpoints/:checkpoint/tallies") { page in
            let visit = page.visit
            let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
            let operation = try await core.operation(operationID, as: visit.principal).record
            let checkpoint = try await core.checkpoint(
                try page.id("checkpoint", kind: "checkpoint"), in: operationID, as: visit.principal)
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            // The API's list of tallies, and its cursors: a page's cursor reads there too.
            let pagination = try Pagination(
                list: "tallies", limit: Paging.size, cursor: page.query["cursor"], signer: cursors)
            let listed = try await core.tallies(
                in: operationID, matching: TallyFilter(checkpointID: checkpoint.record.checkpoint.id),
                after: try pagination.afterSequence(), limit: Paging.size + 1, as: visit.principal)
            let shown = listed.prefix(Paging.size)
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            view["checkpoint"] = checkpoint.record.checkpoint.name
            view["tallies"] = shown.map { listedTally -> [String: Any] in
                let tally = listedTally.tally
                var row: [String: Any] = [
                    "id": String(tally.id.description.prefix(8)), "start": formats.instant(tally.interval.start),
                    "end": formats.time(tally.interval.end), "direction": visit.label("direction", tally.direction),
                    "people": formats.number(tally.people),
                    "groups": tally.counts.map {
                        visit.text(
                            "tally.group_count",
                            ["group": visit.label("group", $0.group), "n": formats.number($0.people)])
                    }.joined(separator: "; "),
                    "source": visit.source(tally.source),
                ]
                if let corrected = tally.supersedes {
                    row["corrects"] = visit.text("tally.corrects", ["id": String(corrected.description.prefix(8))])
                }
                if let by = listedTally.supersededBy {
                    row["correctedBy"] = visit.text("tally.corrected_by", ["id": String(by.description.prefix(8))])
                }
                return row
            }
            if listed.count > shown.count, let last = shown.last {
                view["nextLink"] =
                    "/operations/\(operationID)/checkpoints/\(checkpoint.record.checkpoint.id)/tallies?cursor="
                    + FormBody.encode(pagination.cursor(after: [String(last.seq)]))
            }
            view["history"] = try await historyView(
                .checkpoint, checkpoint.record.checkpoint.id.description, in: operation, formats: formats,
                visit: visit)
            return pages.render(
                "tallies", title: visit.text("tally.title", ["name": checkpoint.record.checkpoint.name]), view: view,
                visit: visit)
        }
    }

    /// Each party's name and page, for tables that name a party.
    func partyLinks(_ operation: EvacuationOperation, _ visit: Visit) async throws -> [Party.ID: [String: Any]] {
        Dictionary(
            uniqueKeysWithValues: try await core.parties(in: operation.id, as: visit.principal).map {
                (
                    $0.id,
                    ["party": $0.name, "partyLink": "/operations/\(operation.id)/parties/\($0.id)"] as [String: Any]
                )
            })
    }
}
