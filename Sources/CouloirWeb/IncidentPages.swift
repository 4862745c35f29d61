import CouloirCore
import CouloirDomain
import Foundation
import Hummingbird

/// An operation's incidents: the list with its filters, one incident with its
/// verification history, and the form that reports one.
extension WebFace {
    func addIncidentPages<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/incidents") { page in
            let visit = page.visit
            let operation = try await core.operation(try page.id("operation", kind: "operation"), as: visit.principal)
                .record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            let query = page.query
            let kind = query["kind"].flatMap(Incident.Kind.init(rawValue:))
            let listing = ReportListing(query: query, formats: formats)
            let incidents = try await core.incidents(
                in: operation.id, matching: listing.filter, kind: kind, as: visit.principal)
            let base = "/operations/\(operation.id)"
            let (shown, next) = try listing.page(
                incidents, list: "incidents", cursors: cursors, at: \.occurredAt, id: \.id.description,
                path: base + "/incidents")
            var view = try await operationHeader(operation, formats: formats, visit: visit)
            view["incidents"] = shown.map { incidentRow($0, base: base, formats: formats, visit: visit) }
            view["count"] = visit.text("incidents.count", ["n": formats.number(incidents.count)])
            view["nextLink"] = next
            view["filters"] = listing.fields(
                [
                    .init(
                        name: "kind", label: visit.text("incident.kind"), kind: .select, value: kind?.rawValue ?? "",
                        options: visit.choices(Incident.Kind.allCases, "incident_kind", none: "filter.any"))
                ], visit: visit
            ).view(visit)
            return pages.render("incidents", title: visit.text("incidents.title"), view: view, visit: visit)
        }
        page(router, "/operations/:operation/incidents/new") { page in
            let operation = try await core.operation(
                try page.id("operation", kind: "operation"), as: page.visit.principal
            )
            .record
            return try await incidentForm(operation, page.visit, form: nil, errors: FormView())
        }
        form(router, "/operations/:operation/incidents") { page, form in
            let visit = page.visit
            let operation = try await core.operation(try page.id("operation", kind: "operation"), as: visit.principal)
                .record
            let formats = Formats(language: visit.language, timeZone: operation.timeZone)
            var reader = FormReader(form, visit: visit, formats: formats)
            let kind = reader.choice("kind", Incident.Kind.self)
            let occurredAt = reader.instant("occurredAt")
            let timePrecision = reader.choice("timePrecision", Incident.TimePrecision.self)
            let placePrecision = reader.choice("placePrecision", Incident.PlacePrecision.self)
            let severity = reader.choice("severity", Incident.Severity.self)
            let place = Self.place(form["place"])
            if place == nil { reader.errors["place"] = visit.text("error.choose") }
            let summary = reader.text("summary")
            let killed = reader.count("killed")
            let injured = reader.count("injured")
            let reportedBy = reader.text("reportedBy")
            let source = reader.source()
            var errors = FormView()
            errors.errors = reader.errors
            guard reader.errors.isEmpty, let kind, let occurredAt, let timePrecision, let placePrecision, let severity,
                let place, let source
            else {
                return try await incidentForm(operation, visit, form: form, errors: errors)
            }
            let incident = Incident(
                operationID: operation.id, kind: kind, occurredAt: occurredAt, timePrecision: timePrecision,
                place: place, placePrecision: placePrecision, severity: severity, summary: summary, killed: killed,
                injured: injured, reportedBy: reportedBy, source: source)
            do {
                let stored = try await core.report(incident, as: visit.principal)
                return .seeOther("/operations/\(operation.id)/incidents/\(stored.record.id)")
            } catch let error as DomainError {
                errors.place(
                    error.issues, visit: visit, aliases: ["place/corridorId": "place", "place/sectorId": "place"])
                return try await incidentForm(operation, visit, form: form, errors: errors)
            }
        }
        page(router, "/operations/:operation/incidents/:incident") { page in
            let (operation, incident) = try await incidentOf(page)
            return try await incidentPage(operation, incident, page.visit, form: nil, errors: FormView())
        }
    }

    func incidentOf(_ page: PageRequest) async throws -> (EvacuationOperation, Incident) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let incident = try await core.incident(
            try page.id("incident", kind: "incident"), in: operationID, as: page.visit.principal)
        return (operation, incident.record)
    }

    /// An incident with its verification history and audit history; for those who may,
    /// the form that changes its verification, as sent with its errors (422).
    func incidentPage(
        _ operation: EvacuationOperation, _ incident: Incident, _ visit: Visit, form: FormBody?, errors: FormView
    ) async throws -> Response {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        let base = "/operations/\(operation.id)"
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        var row = incidentRow(incident, base: base, formats: formats, visit: visit)
        row["timePrecision"] = visit.label("time_precision", incident.timePrecision)
        row["placePrecision"] = visit.label("place_precision", incident.placePrecision)
        row["place"] = try await placeName(incident.place, in: operation, visit: visit)
        row["killed"] = incident.killed.map(formats.number)
        row["injured"] = incident.injured.map(formats.number)
        row["reportedBy"] = incident.reportedBy
        row["source"] = visit.source(incident.source)
        row["history"] = verificationHistory(incident.verificationHistory, formats: formats, visit: visit)
        view["incident"] = row
        view["history"] = try await historyView(
            .incident, incident.id.description, in: operation, formats: formats, visit: visit)
        if (try? await core.incidentForVerifying(incident.id, in: operation.id, as: visit.principal)) != nil {
            view["form"] = verificationForm(incident.verification, visit, form: form, errors: errors).view(visit)
            view["action"] = "\(base)/incidents/\(incident.id)/verification"
        }
        return pages.render(
            "incident", title: visit.label("incident_kind", incident.kind), view: view, visit: visit,
            status: form == nil ? .ok : .unprocessableContent)
    }

    /// The report form, empty or as typed with its errors (422).
    func incidentForm(_ operation: EvacuationOperation, _ visit: Visit, form: FormBody?, errors: FormView) async throws
        -> Response
    {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        var fields = errors
        func value(_ name: String, _ fallback: String = "") -> String { form?.raw(name) ?? fallback }
        let corridors = try await core.corridors(in: operation.id, at: core.now(), as: visit.principal)
        let sectors = try await core.sectors(in: operation.id, at: core.now(), as: visit.principal)
        let places =
            [("", visit.text("form.choose"))]
            + corridors.map {
                ("corridor:\($0.corridor.id)", visit.text("incident.on_corridor", ["name": $0.corridor.name]))
            }
            + sectors.map { ("sector:\($0.id)", visit.text("incident.in_sector", ["name": $0.name])) }
        fields.add(
            .init(
                name: "kind", label: visit.text("incident.kind"), kind: .select, value: value("kind"),
                options: visit.choices(Incident.Kind.allCases, "incident_kind"), required: true))
        fields.add(
            .init(
                name: "occurredAt", label: visit.text("incident.occurred_at"), kind: .datetime,
                value: value("occurredAt", formats.localInput(core.now())), required: true,
                hint: visit.text("form.in_zone", ["zone": operation.timeZoneIdentifier])))
        fields.add(
            .init(
                name: "timePrecision", label: visit.text("incident.time_precision"), kind: .select,
                value: value("timePrecision", "hour"),
                options: visit.choices(Incident.TimePrecision.allCases, "time_precision"),
                required: true))
        fields.add(
            .init(
                name: "place", label: visit.text("incident.place"), kind: .select, value: value("place"),
                options: places, required: true))
        fields.add(
            .init(
                name: "placePrecision", label: visit.text("incident.place_precision"), kind: .select,
                value: value("placePrecision", "area"),
                options: visit.choices(Incident.PlacePrecision.allCases, "place_precision"),
                required: true))
        fields.add(
            .init(
                name: "severity", label: visit.text("incident.severity"), kind: .select, value: value("severity"),
                options: visit.choices(Incident.Severity.allCases, "severity"), required: true))
        fields.add(
            .init(
                name: "summary", label: visit.text("incident.summary"), kind: .textarea, value: value("summary"),
                required: true))
        fields.add(.init(name: "killed", label: visit.text("incident.killed"), kind: .number, value: value("killed")))
        fields.add(
            .init(name: "injured", label: visit.text("incident.injured"), kind: .number, value: value("injured")))
        fields.add(
            .init(
                name: "reportedBy", label: visit.text("incident.reported_by"), kind: .text, value: value("reportedBy"),
                required: true))
        fields.addSource(visit, typed: form)
        var view = try await operationHeader(operation, formats: formats, visit: visit)
        view["form"] = fields.view(visit)
        view["action"] = "/operations/\(operation.id)/incidents"
        return pages.render(
            "incident-form", title: visit.text("incident.new_title"), view: view, visit: visit,
            status: form == nil ? .ok : .unprocessableContent)
    }

    /// Where an incident happened, in words: the corridor's or sector's name.
    func placeName(_ place: Incident.Place, in operation: EvacuationOperation, visit: Visit) async throws -> String {
        switch place {
        case .point(let point):
            return "\(point.position.latitude), \(point.position.longitude)"
        case .corridor(let id):
            let corridor = try? await core.corridor(id, in: operation.id, at: core.now(), as: visit.principal)
            return visit.text("incident.on_corridor", ["name": corridor?.record.corridor.name ?? id.description])
        case .sector(let id):
            let sector = try? await core.sector(id, in: operation.id, as: visit.principal)
            return visit.text("incident.in_sector", ["name": sector?.record.name ?? id.description])
        }
    }

    /// A place chosen in the form: `corridor:<id>` or `sector:<id>`.
    static func place(_ value: String?) -> Incident.Place? {
        guard let value else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "corridor": return Corridor.ID(parts[1]).map { .corridor($0) }
        case "sector": return Sector.ID(parts[1]).map { .sector($0) }
        default: return nil
        }
    }
}
