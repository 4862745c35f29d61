import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// An operation's dashboard at an instant (now, or one chosen, such as the moment a
/// pause was suspended): the map drawn by the server with a table of the same facts,
/// each sector's progress in words and figures, and the latest incidents. Every
/// figure comes from the core's figures, as the API gives them to the same user.
extension WebFace {
    func addDashboardPage<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/dashboard") { page in
            let visit = page.visit
            let operation = try await core.operation(
                try page.id("operation", kind: "operation"), as: visit.principal
            )
            .record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let chosen = page.query["at"].flatMap(formats.parseLocalInput)
            let corridor = page.query["corridor"].flatMap(Corridor.ID.init)
            return try await dashboard(
                operation, at: chosen, corridor: corridor, visit: visit, formats: formats)
        }
    }

    /// The dashboard at `chosen`, or now.
    func dashboard(
        _ operation: EvacuationOperation, at chosen: Date?, corridor: Corridor.ID?, visit: Visit, formats: Formats
    ) async throws -> Response {
        let principal = visit.principal
        let base = "/operations/\(operation.id)"
        // Read before the figures: a change committed while they are read is streamed
        // again, never missed.
        let position = try await core.changePosition()
        let instant = chosen ?? core.now()
        let parties = try await core.parties(in: operation.id, as: principal)
        let partyIndex = Dictionary(uniqueKeysWithValues: parties.enumerated().map { ($1.id, $0) })
        let sectors = try await core.sectors(in: operation.id, at: instant, as: principal)
        let corridors = try await core.corridors(in: operation.id, at: instant, as: principal)
        let pauses = try await core.pauses(in: operation.id, as: principal)
        // The figures read the rollups apart from one another: read them at once.
        async let counted = checkpointCounts(operation, through: instant, as: principal)
        async let progressPart = PagePart(
            try await progressRows(operation, at: instant, visit: visit, formats: formats))
        // The pause the instant falls in (or the last before it): the span of the charts
        // and of the protection figures.
        let (span, windows) = Self.chartSpan(pauses, at: instant, clock: ZonedClock(operation.timeZone))
        async let chartsPart = PagePart(
            try await charts(
                operation, at: instant, corridor: corridor, span: span, windows: windows, sectors: sectors,
                corridors: corridors.map(\.corridor), visit: visit, formats: formats))
        async let protectionPart = PagePart(
            try await protectionView(operation, span: span, at: instant, visit: visit, formats: formats))
        let counts = try await counted
        let countText = { (id: Checkpoint.ID) -> String in
            counts[id].map { visit.text("dashboard.people", ["n": formats.number($0)]) }
                ?? visit.text("dashboard.not_counted")
        }

        var content = MapContent(
            title: visit.text("dashboard.map_title", ["name": operation.name, "at": formats.instant(instant)]),
            description: visit.text(
                "dashboard.map_description",
                [
                    "sectors": formats.number(sectors.count), "corridors": formats.number(corridors.count),
                    "open": formats.number(corridors.filter { $0.status.state == .open }.count),
                ]),
            legend: .init(
                title: visit.text("dashboard.legend"), parties: parties.map(\.name),
                noParty: visit.text("dashboard.no_control"),
                states: Dictionary(
                    uniqueKeysWithValues: CorridorStatus.State.allCases.map { ($0, visit.label("corridor_state", $0)) }),
                checkpoint: visit.text("dashboard.checkpoint"), reception: visit.text("dashboard.reception"),
                incident: visit.text("dashboard.incident")),
            distance: { metres in
                metres >= 1000
                    ? visit.text("dashboard.kilometres", ["n": formats.number(Int(metres / 1000))])
                    : visit.text("dashboard.metres", ["n": formats.number(Int(metres))])
            },
            north: visit.text("dashboard.north"))
        content.areas = sectors.map { sector in
            .init(
                name: sector.name, rings: sector.boundary.rings,
                party: sector.controller(at: instant).flatMap { partyIndex[$0] })
        }
        content.routes = corridors.map {
            .init(
                code: $0.corridor.code, positions: $0.corridor.route.positions, state: $0.status.state,
                reception: $0.corridor.destination)
        }
        content.markers = corridors.flatMap { entry in
            entry.corridor.checkpoints.map {
                // On the map the count alone, beside its marker; the table says the rest.
                MapContent.Marker(
                    name: "\($0.name): \(countText($0.id))", position: $0.location.position,
                    label: counts[$0.id].map(formats.number) ?? "–")
            }
        }

        let incidents = try await core.incidents(in: operation.id, as: principal)
            .filter { $0.occurredAt <= instant }.sorted { $0.occurredAt > $1.occurredAt }.prefix(5)
        content.incidents = incidents.compactMap { incident in
            Self.position(of: incident.place, sectors: sectors, corridors: corridors.map(\.corridor)).map {
                .init(
                    title: visit.text(
                        "dashboard.incident_title",
                        [
                            "kind": visit.label("incident_kind", incident.kind),
                            "severity": visit.label("severity", incident.severity),
                            "verification": visit.label("verification", incident.verification),
                            "summary": incident.summary,
                        ]), position: $0, severity: "severity-\(incident.severity.rawValue)")
            }
        }

        var view = try await operationHeader(operation, formats: formats, visit: visit)
        view["at"] = formats.instant(instant)
        view["atInput"] = formats.localInput(instant)
        // Now stays now; a chosen instant stays chosen.
        var refresh = chosen.map { ["at=" + FormBody.encode(formats.localInput($0))] } ?? []
        if let corridor { refresh.append("corridor=\(corridor)") }
        view["refreshLink"] = "\(base)/dashboard" + (refresh.isEmpty ? "" : "?" + refresh.joined(separator: "&"))
        view["liveSource"] = "\(base)/dashboard/changes?after=\(position - 1)"
        view["map"] = MapDrawing.svg(content)
        view["steps"] = pauses.flatMap { pause in
            pause.history.map { step -> [String: Any] in
                [
                    "label": visit.text(
                        "dashboard.step",
                        [
                            "pause": pause.name, "state": visit.label("pause_state", step.to),
                            "at": formats.instant(step.at),
                        ]),
                    "link": "\(base)/dashboard?at=" + FormBody.encode(formats.localInput(step.at)),
                ]
            }
        }
        let partyNames = Dictionary(uniqueKeysWithValues: parties.map { ($0.id, $0.name) })
        view["sectorRows"] = sectors.map { sector -> [String: Any] in
            [
                "name": sector.name, "link": "\(base)/sectors/\(sector.id)",
                "control": sector.controller(at: instant).flatMap { partyNames[$0] }
                    ?? visit.text("dashboard.no_control"),
            ]
        }
        view["corridorRows"] = corridors.map { entry -> [String: Any] in
            var row = corridorRow(entry, base: base, formats: formats, visit: visit)
            row["checkpoints"] = entry.corridor.checkpoints.map {
                ["id": $0.id.description, "name": $0.name, "count": countText($0.id)]
            }
            row["reception"] = entry.corridor.destination ?? ""
            return row
        }
        let progress = try await progressPart.value
        view["progress"] = progress?.view
        view["charts"] = try await chartsPart.value
        view["protection"] = try await protectionPart.value
        view["corridorChoices"] =
            ([("", visit.text("chart.all_corridors"))]
            + corridors.map {
                ($0.corridor.id.description, "\($0.corridor.code) · \($0.corridor.name)")
            }).map {
                ["value": $0.0, "label": $0.1, "selected": $0.0 == (corridor?.description ?? "")] as [String: Any]
            }
        view["claims"] = try await claimsOfTheDay(
            operation, at: instant, counted: counts, corridors: corridors, parties: partyNames,
            remaining: progress?.remaining,
            visit: visit, formats: formats)
        view["incidents"] = incidents.map { incidentRow($0, base: base, formats: formats, visit: visit) }
        return pages.render(
            "dashboard", title: visit.text("dashboard.title", ["name": operation.name]), view: view, visit: visit)
    }

    /// Where an incident is drawn: its point, the middle of its corridor's route, or the
    /// middle of its sector; nil when that record is not on the map.
    static func position(of place: Incident.Place, sectors: [Sector], corridors: [Corridor]) -> Position? {
        switch place {
        case .point(let point):
            return point.position
        case .corridor(let id):
            guard let route = corridors.first(where: { $0.id == id })?.route.positions, !route.isEmpty else {
                return nil
            }
            return route[route.count / 2]
        case .sector(let id):
            return sectors.first { $0.id == id }.map { MapDrawing.centroid($0.boundary.exterior) }
        }
    }

    /// People counted leaving at each checkpoint up to the quarter-hour `instant` falls
    /// in, from the flow rollups; empty for a user who may not read figures.
    private func checkpointCounts(_ operation: EvacuationOperation, through instant: Date, as principal: Principal)
        async throws -> [Checkpoint.ID: Int]
    {
        let through = QuarterHour(containing: instant)
        let request = FlowRequest(
            bucket: .quarterHour, from: through.advanced(by: -1).start, until: through.start, groupBy: [.checkpoint],
            corridorID: nil, checkpointID: nil, group: nil, direction: .outbound)
        let figures: FlowFigures
        do {
            figures = try await core.flow(in: operation.id, request, as: principal)
        } catch CoreError.forbidden, CoreError.forbiddenAction {
            return [:]
        }
        var counts: [Checkpoint.ID: Int] = [:]
        for series in figures.report.series {
            if let id = series.checkpointID { counts[id] = series.total }
        }
        return counts
    }
}

/// A part of a page built in a task of its own: its view holds only strings, numbers,
/// booleans and arrays and dictionaries of them, made in that task and read once it ended.
struct PagePart<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
