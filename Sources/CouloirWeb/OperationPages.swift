import CouloirCore
import CouloirDomain
import Foundation
import Hummingbird

/// The operations the user takes part in, and an operation's home: its pauses, its
/// corridors with their status now, sectors, parties, and the latest reports.
extension WebFace {
    func addOperationPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations") { page in
            let visit = page.visit
            let operations = try await core.operations(as: visit.principal)
            let rows = operations.map { operation -> [String: Any] in
                ["name": operation.name, "area": operation.area, "link": "/operations/\(operation.id)"]
            }
            var view: [String: Any] = ["operations": rows]
            if core.mayCreateOperation(as: visit.principal) { view["newLink"] = "/operations/new" }
            return pages.render("operations", title: visit.text("operations.title"), view: view, visit: visit)
        }
        page(router, "/operations/:operation") { page in
            let visit = page.visit
            let id: EvacuationOperation.ID = try page.id("operation", kind: "operation")
            let principal = visit.principal
            let operation = try await core.operation(id, as: principal).record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let now = core.now()
            let base = "/operations/\(operation.id)"
            let parties = try await core.parties(in: id, as: principal)
            let partyNames = Dictionary(uniqueKeysWithValues: parties.map { ($0.id, $0.name) })
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            view["now"] = formats.instant(now)
            if try await core.mayCreate(.editPlan, in: id, as: principal) {
                view["newPartyLink"] = "\(base)/parties/new"
                view["newCorridorLink"] = "\(base)/corridors/new"
                view["newSectorLink"] = "\(base)/sectors/new"
            }
            if try await core.mayCreate(.managePause, in: id, as: principal) {
                view["newPauseLink"] = "\(base)/pauses/new"
            }
            if (try? await core.operationForEditing(id, as: principal)) != nil {
                view["editLink"] = "/operations/\(operation.id)/edit"
            }
            view["pauses"] = try await core.pauses(in: id, as: principal).map { pause -> [String: Any] in
                [
                    "name": pause.name, "state": visit.label("pause_state", pause.state),
                    "link": "/operations/\(operation.id)/pauses/\(pause.id)",
                    "stateCode": pause.state.rawValue, "proposed": formats.instant(pause.proposedAt),
                ]
            }
            view["corridors"] = try await core.corridors(in: id, at: now, as: principal).map { entry in
                corridorRow(entry, base: base, formats: formats, visit: visit)
            }
            view["sectors"] = try await core.sectors(in: id, at: now, as: principal).map { sector -> [String: Any] in
                var row: [String: Any] = ["name": sector.name, "link": "\(base)/sectors/\(sector.id)"]
                if let population = sector.population {
                    row["population"] = visit.text(
                        "sector.population_range",
                        [
                            "value": formats.number(population.value), "low": formats.number(population.low),
                            "high": formats.number(population.high),
                        ])
                }
                return row
            }
            view["parties"] = parties.map {
                ["name": $0.name, "kind": visit.label("party_kind", $0.kind), "link": "\(base)/parties/\($0.id)"]
            }
            let incidents = try await core.incidents(in: id, as: principal)
                .sorted { $0.occurredAt > $1.occurredAt }.prefix(5)
            view["incidents"] = incidents.map { incidentRow($0, base: base, formats: formats, visit: visit) }
            let claims = try await core.claims(in: id, as: principal).sorted { $0.madeAt > $1.madeAt }.prefix(5)
            view["claims"] = claims.map {
                claimRow($0, base: base, parties: partyNames, formats: formats, visit: visit)
            }
            view["history"] = try await historyView(
                .operation, operation.id.description, in: operation, formats: formats, visit: visit)
            return pages.render("operation", title: operation.name, view: view, visit: visit)
        }
    }

    /// What every page of an operation shows at its top: its name, area, time zone and
    /// links to its lists.
    func operationHeader(_ operation: EvacuationOperation, formats: Formats, visit: Visit) async throws
        -> [String: Any]
    {
        let base = "/operations/\(operation.id)"
        var header: [String: Any] = [
            "name": operation.name, "area": operation.area, "link": base,
            "timeZone": visit.text(
                "operation.time_zone", ["zone": operation.timeZoneIdentifier, "offset": formats.time(core.now())]),
            "incidentsLink": base + "/incidents", "dashboardLink": base + "/dashboard",
            "membersLink": base + "/members", "claimsLink": base + "/claims",
        ]
        // Offered only to whoever may report one, as decided for the report itself.
        if try await core.mayCreate(.reportIncident, in: operation.id, as: visit.principal) {
            header["newIncidentLink"] = base + "/incidents/new"
        }
        return ["operation": header]
    }

    func corridorRow(_ entry: CorridorAtInstant, base: String, formats: Formats, visit: Visit) -> [String: Any] {
        [
            "code": entry.corridor.code, "name": entry.corridor.name,
            "link": "\(base)/corridors/\(entry.corridor.id)",
            "state": visit.label("corridor_state", entry.status.state), "stateCode": entry.status.state.rawValue,
            "why": visit.status(entry.status, formats: formats),
        ]
    }

    func incidentRow(_ incident: Incident, base: String, formats: Formats, visit: Visit) -> [String: Any] {
        [
            "occurredAt": formats.instant(incident.occurredAt), "kind": visit.label("incident_kind", incident.kind),
            "severity": visit.label("severity", incident.severity), "severityCode": incident.severity.rawValue,
            "summary": incident.summary, "link": "\(base)/incidents/\(incident.id)",
            "verification": visit.label("verification", incident.verification),
        ]
    }
}
