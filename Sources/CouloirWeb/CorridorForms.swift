import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Opening a corridor and editing its description: code, name, the sectors it leaves
/// and reaches, its route, who may use it, its capacity and source. Its checkpoints
/// and overrides have their own forms.
extension WebFace {
    func addCorridorForms<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/corridors/new") { page in
            let operation = try await operation(page, toCreate: .editPlan)
            return try await render(
                corridorForm(operation, nil, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/corridors") { page, form in
            let visit = page.visit
            let operation = try await operation(page, toCreate: .editPlan)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let corridor = read(&reader, into: Corridor.blank(in: operation.id))
            return try await save(reader, aliases: corridorAliases) {
                let stored = try await core.create(corridor, as: visit.principal)
                return "/operations/\(operation.id)/corridors/\(stored.record.corridor.id)"
            } again: { errors in
                try await render(
                    corridorForm(operation, nil, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            }
        }
        page(router, "/operations/:operation/corridors/:corridor/edit") { page in
            let (operation, stored) = try await editableCorridor(page)
            return try await render(
                corridorForm(operation, stored, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/corridors/:corridor") { page, form in
            let visit = page.visit
            let (operation, stored) = try await editableCorridor(page)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let revised = read(&reader, into: stored.record)
            return try await save(reader, aliases: corridorAliases) {
                _ = try await core.update(
                    corridor: stored.record.id, in: operation.id, to: revised, expecting: form.expectedVersion,
                    as: visit.principal)
                return "/operations/\(operation.id)/corridors/\(stored.record.id)"
            } again: { errors in
                try await render(
                    corridorForm(operation, stored, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            } stale: {
                // Someone else's change came first: show what stands now, and what was typed.
                let current = try await core.corridorForEditing(stored.record.id, in: operation.id, as: visit.principal)
                return try await render(
                    corridorForm(operation, current, visit, typed: nil, errors: FormView()), of: operation,
                    visit: visit, typed: nil, stale: form)
            }
        }
    }

    func editableCorridor(_ page: PageRequest) async throws -> (EvacuationOperation, Versioned<Corridor>) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let stored = try await core.corridorForEditing(
            try page.id("corridor", kind: "corridor"), in: operationID, as: page.visit.principal)
        return (operation, stored)
    }

    /// The corridor the form describes, over `corridor`'s other values; what cannot be
    /// read is noted in `reader`.
    private func read(_ reader: inout FormReader, into corridor: Corridor) -> Corridor {
        var corridor = corridor
        corridor.code = reader.text("code")
        corridor.name = reader.text("name")
        let origin: [Sector.ID] = reader.identifiers("originSectorId")
        if let origin = origin.first {
            corridor.originSectorID = origin
        } else if reader.errors["originSectorId"] == nil {
            reader.errors["originSectorId"] = reader.visit.text("error.choose")
        }
        let destination: [Sector.ID] = reader.identifiers("destinationSectorId")
        corridor.destinationSectorID = destination.first
        corridor.destination = reader.optionalText("destination")
        if let route = reader.route("route") { corridor.route = route }
        corridor.allowedGroups = []
        for text in reader.chosen("allowedGroups") {
            guard let group = Group(rawValue: text) else {
                reader.errors["allowedGroups"] = reader.visit.text("error.choose")
                continue
            }
            corridor.allowedGroups.insert(group)
        }
        corridor.capacityPerHour = reader.count("capacityPerHour")
        if let source = reader.source() { corridor.source = source.keepingMark(of: corridor.source) }
        return corridor
    }

    /// The form that opens a corridor (`stored` nil) or edits one.
    func corridorForm(
        _ operation: EvacuationOperation, _ stored: Versioned<Corridor>?, _ visit: Visit, typed: FormBody?,
        errors: FormView
    ) async throws -> RecordForm {
        let corridor = stored?.record
        let sectors = try await core.sectors(in: operation.id, at: core.now(), as: visit.principal)
        let sectorChoices = [("", visit.text("form.choose"))] + sectors.map { ($0.id.description, $0.name) }
        var fields = errors
        func value(_ name: String, _ stored: String?) -> String { typed?.raw(name) ?? stored ?? "" }
        fields.add(
            .init(
                name: "code", label: visit.text("corridor.code"), kind: .text, value: value("code", corridor?.code),
                required: true))
        fields.add(
            .init(
                name: "name", label: visit.text("corridor.name"), kind: .text, value: value("name", corridor?.name),
                required: true))
        fields.add(
            .init(
                name: "originSectorId", label: visit.text("plan_form.origin"), kind: .select,
                value: value("originSectorId", corridor?.originSectorID.description), options: sectorChoices,
                required: true))
        fields.add(
            .init(
                name: "destinationSectorId", label: visit.text("plan_form.destination_sector"), kind: .select,
                value: value("destinationSectorId", corridor?.destinationSectorID?.description),
                options: sectorChoices))
        fields.add(
            .init(
                name: "destination", label: visit.text("corridor.destination"), kind: .text,
                value: value("destination", corridor?.destination)))
        fields.add(
            .init(
                name: "route", label: visit.text("plan_form.route"), kind: .positions,
                value: value("route", corridor.map { GeometryText.text($0.route.positions) }), required: true,
                hint: visit.text("plan_form.route_hint", ["example": GeometryText.example])))
        fields.add(
            .init(
                name: "allowedGroups", label: visit.text("corridor.groups"), kind: .multiselect, value: "",
                options: Group.allCases.map { ($0.rawValue, visit.label("group", $0)) }, required: true,
                chosen: Set(typed?.values["allowedGroups"] ?? corridor?.allowedGroups.map(\.rawValue) ?? [])))
        fields.add(
            .init(
                name: "capacityPerHour", label: visit.text("corridor.capacity"), kind: .number,
                value: value("capacityPerHour", corridor?.capacityPerHour.map(String.init)),
                hint: visit.text("plan_form.capacity_hint")))
        fields.addSource(visit, typed: typed, stored: corridor?.source)
        let base = "/operations/\(operation.id)"
        guard let stored else {
            return RecordForm(
                title: visit.text("plan_form.new_corridor"), action: "\(base)/corridors", cancelLink: base,
                version: nil, submitLabel: visit.text("plan_form.create_corridor"), fields: fields)
        }
        let page = "\(base)/corridors/\(stored.record.id)"
        return RecordForm(
            title: visit.text("corridor.edit_title", ["name": stored.record.name]), action: page, cancelLink: page,
            version: stored.version, submitLabel: visit.text("corridor.save"), fields: fields)
    }
}

extension Corridor {
    /// A corridor with nothing filled in, for a form to fill.
    static func blank(in operationID: EvacuationOperation.ID) -> Corridor {
        Corridor(
            operationID: operationID, code: "", name: "", originSectorID: Sector.ID(), route: LineString([]),
            allowedGroups: [], source: Source(name: "", kind: .coordinator))
    }
}

/// A route's and a group list's issues are told beside the one field that holds them.
private let corridorAliases = ["route": "route", "allowedGroups": "allowedGroups"]
