import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Adding a sector and editing it (name, P-code, boundary, population estimate), and
/// recording that another party took control of it from an instant, on whose word.
extension WebFace {
    func addSectorForms<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/sectors/new") { page in
            let operation = try await operation(page, toCreate: .editPlan)
            return try await render(
                sectorForm(operation, nil, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/sectors") { page, form in
            let visit = page.visit
            let operation = try await operation(page, toCreate: .editPlan)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let sector = read(
                &reader, into: Sector(operationID: operation.id, name: "", boundary: Polygon(rings: [])))
            return try await save(reader, aliases: ["boundary": "boundary"]) {
                let stored = try await core.create(sector, as: visit.principal)
                return "/operations/\(operation.id)/sectors/\(stored.record.id)"
            } again: { errors in
                try await render(
                    sectorForm(operation, nil, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            }
        }
        page(router, "/operations/:operation/sectors/:sector/edit") { page in
            let (operation, stored) = try await editableSector(page)
            return try await render(
                sectorForm(operation, stored, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/sectors/:sector") { page, form in
            let visit = page.visit
            let (operation, stored) = try await editableSector(page)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let revised = read(&reader, into: stored.record)
            return try await save(reader, aliases: ["boundary": "boundary"]) {
                _ = try await core.update(
                    sector: stored.record.id, in: operation.id, to: revised, expecting: form.expectedVersion,
                    as: visit.principal)
                return "/operations/\(operation.id)/sectors/\(stored.record.id)"
            } again: { errors in
                try await render(
                    sectorForm(operation, stored, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            } stale: {
                let current = try await core.sectorForEditing(stored.record.id, in: operation.id, as: visit.principal)
                return try await render(
                    sectorForm(operation, current, visit, typed: nil, errors: FormView()), of: operation,
                    visit: visit, typed: nil, stale: form)
            }
        }
        page(router, "/operations/:operation/sectors/:sector/control") { page in
            let (operation, stored) = try await editableSector(page)
            return try await render(
                try await controlForm(operation, stored, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/sectors/:sector/control") { page, form in
            let visit = page.visit
            let (operation, stored) = try await editableSector(page)
            var reader = FormReader(
                form, visit: visit, formats: Formats(language: visit.language, timeZone: operation.timeZone))
            let parties: [Party.ID] = reader.identifiers("partyId")
            let party = parties.first
            if party == nil, reader.errors["partyId"] == nil { reader.errors["partyId"] = visit.text("error.choose") }
            let since = reader.instant("since")
            let source = reader.source()
            // The new period is told by its own fields, whatever its place in the history.
            let index = stored.record.control.count
            let aliases = [
                "control/\(index)/partyId": "partyId", "control/\(index)/since": "since",
                "control/\(index)/source": "source",
            ]
            return try await save(reader, aliases: aliases) {
                guard let party, let since, let source else { throw FormIncomplete() }
                var revised = stored.record
                revised.control.append(ControlPeriod(partyID: party, since: since, source: source))
                _ = try await core.update(
                    sector: stored.record.id, in: operation.id, to: revised, expecting: form.expectedVersion,
                    as: visit.principal)
                return "/operations/\(operation.id)/sectors/\(stored.record.id)"
            } again: { errors in
                try await render(
                    controlForm(operation, stored, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            } stale: {
                let current = try await core.sectorForEditing(stored.record.id, in: operation.id, as: visit.principal)
                return try await render(
                    controlForm(operation, current, visit, typed: nil, errors: FormView()), of: operation,
                    visit: visit, typed: nil, stale: form)
            }
        }
    }

    func editableSector(_ page: PageRequest) async throws -> (EvacuationOperation, Versioned<Sector>) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let stored = try await core.sectorForEditing(
            try page.id("sector", kind: "sector"), in: operationID, as: page.visit.principal)
        return (operation, stored)
    }

    /// The sector the form describes over `sector`'s control history. A population is
    /// read when any of its fields is filled in, and then needs them all.
    private func read(_ reader: inout FormReader, into sector: Sector) -> Sector {
        var sector = sector
        sector.name = reader.text("name")
        sector.pcode = reader.optionalText("pcode")
        if let boundary = reader.area("boundary") { sector.boundary = boundary }
        let populationFields = ["value", "low", "high", "asOf", "source/name", "source/reference"]
        guard populationFields.contains(where: { reader.form["population/" + $0] != nil }) else {
            sector.population = nil
            return sector
        }
        let required = ["value", "low", "high"].map { name -> Int? in
            let value = reader.count("population/" + name)
            if value == nil, reader.errors["population/" + name] == nil {
                reader.errors["population/" + name] = reader.visit.text("error.required")
            }
            return value
        }
        let asOf = reader.date("population/asOf")
        let source = reader.source("population/source")
        if let value = required[0], let low = required[1], let high = required[2], let asOf, let source {
            sector.population = PopulationEstimate(
                value: value, low: low, high: high, asOf: asOf,
                source: source.keepingMark(of: sector.population?.source))
        }
        return sector
    }

    func sectorForm(
        _ operation: EvacuationOperation, _ stored: Versioned<Sector>?, _ visit: Visit, typed: FormBody?,
        errors: FormView
    ) async throws -> RecordForm {
        let sector = stored?.record
        let population = sector?.population
        var fields = errors
        func value(_ name: String, _ stored: String?) -> String { typed?.raw(name) ?? stored ?? "" }
        fields.add(
            .init(
                name: "name", label: visit.text("corridor.name"), kind: .text, value: value("name", sector?.name),
                required: true))
        fields.add(
            .init(name: "pcode", label: visit.text("sector.pcode"), kind: .text, value: value("pcode", sector?.pcode)))
        fields.add(
            .init(
                name: "boundary", label: visit.text("plan_form.boundary"), kind: .positions,
                value: value("boundary", sector.map { GeometryText.text($0.boundary.exterior) }), required: true,
                hint: visit.text("plan_form.boundary_hint")))
        fields.add(
            .init(
                name: "population/value", label: visit.text("plan_form.population_value"), kind: .number,
                value: value("population/value", population.map { String($0.value) }),
                hint: visit.text("plan_form.population_hint")))
        fields.add(
            .init(
                name: "population/low", label: visit.text("plan_form.population_low"), kind: .number,
                value: value("population/low", population.map { String($0.low) })))
        fields.add(
            .init(
                name: "population/high", label: visit.text("plan_form.population_high"), kind: .number,
                value: value("population/high", population.map { String($0.high) })))
        fields.add(
            .init(
                name: "population/asOf", label: visit.text("sector.as_of"), kind: .date,
                value: value("population/asOf", population?.asOf.description)))
        fields.addSource(visit, typed: typed, prefix: "population/source", stored: population?.source)
        let base = "/operations/\(operation.id)"
        guard let stored else {
            return RecordForm(
                title: visit.text("plan_form.new_sector"), action: "\(base)/sectors", cancelLink: base, version: nil,
                submitLabel: visit.text("plan_form.create_sector"), fields: fields)
        }
        let page = "\(base)/sectors/\(stored.record.id)"
        return RecordForm(
            title: visit.text("corridor.edit_title", ["name": stored.record.name]), action: page, cancelLink: page,
            version: stored.version, submitLabel: visit.text("corridor.save"), fields: fields)
    }

    func controlForm(
        _ operation: EvacuationOperation, _ stored: Versioned<Sector>, _ visit: Visit, typed: FormBody?,
        errors: FormView
    ) async throws -> RecordForm {
        let parties = try await core.parties(in: operation.id, as: visit.principal)
        var fields = errors
        fields.add(
            .init(
                name: "partyId", label: visit.text("plan_form.controlling_party"), kind: .select,
                value: typed?.raw("partyId") ?? "",
                options: [("", visit.text("form.choose"))] + parties.map { ($0.id.description, $0.name) },
                required: true))
        fields.add(
            .init(
                name: "since", label: visit.text("sector.since"), kind: .datetime, value: typed?.raw("since") ?? "",
                required: true, hint: visit.text("plan_form.zone_hint", ["zone": operation.timeZoneIdentifier])))
        fields.addSource(visit, typed: typed)
        let page = "/operations/\(operation.id)/sectors/\(stored.record.id)"
        return RecordForm(
            title: visit.text("plan_form.control_title", ["name": stored.record.name]), action: page + "/control",
            cancelLink: page, version: stored.version, submitLabel: visit.text("plan_form.record_control"),
            fields: fields)
    }
}
