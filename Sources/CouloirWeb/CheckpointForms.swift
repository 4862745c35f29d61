import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Adding a checkpoint after a corridor's last one, and editing its name, place and
/// teams; its corridor and position stay.
extension WebFace {
    func addCheckpointForms<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/corridors/:corridor/checkpoints/new") { page in
            let (operation, corridor) = try await editableCorridor(page)
            return try await render(
                checkpointForm(operation, corridor.record, nil, page.visit, typed: nil, errors: FormView()),
                of: operation, visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/corridors/:corridor/checkpoints") { page, form in
            let visit = page.visit
            let (operation, corridor) = try await editableCorridor(page)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let checkpoint = read(&reader, into: Checkpoint(name: "", location: Point(longitude: 0, latitude: 0)))
            return try await save(reader, aliases: checkpointAliases) {
                _ = try await core.add(checkpoint, to: corridor.record.id, in: operation.id, as: visit.principal)
                return "/operations/\(operation.id)/corridors/\(corridor.record.id)"
            } again: { errors in
                try await render(
                    checkpointForm(operation, corridor.record, nil, visit, typed: form, errors: errors),
                    of: operation, visit: visit, typed: form)
            }
        }
        page(router, "/operations/:operation/checkpoints/:checkpoint/edit") { page in
            let (operation, corridor, stored) = try await editableCheckpoint(page)
            return try await render(
                checkpointForm(operation, corridor, stored, page.visit, typed: nil, errors: FormView()),
                of: operation, visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/checkpoints/:checkpoint") { page, form in
            let visit = page.visit
            let (operation, corridor, stored) = try await editableCheckpoint(page)
            var reader = FormReader(form, visit: visit, formats: visit.formats)
            let revised = read(&reader, into: stored.record.checkpoint)
            return try await save(reader, aliases: checkpointAliases) {
                _ = try await core.update(
                    checkpoint: stored.record.id, in: operation.id, to: revised, expecting: form.expectedVersion,
                    as: visit.principal)
                return "/operations/\(operation.id)/corridors/\(corridor.id)"
            } again: { errors in
                try await render(
                    checkpointForm(operation, corridor, stored, visit, typed: form, errors: errors), of: operation,
                    visit: visit, typed: form)
            } stale: {
                let current = try await core.checkpointForEditing(
                    stored.record.id, in: operation.id, as: visit.principal)
                return try await render(
                    checkpointForm(operation, corridor, current, visit, typed: nil, errors: FormView()),
                    of: operation, visit: visit, typed: nil, stale: form)
            }
        }
    }

    private func editableCheckpoint(_ page: PageRequest) async throws -> (
        EvacuationOperation, Corridor, Versioned<PlacedCheckpoint>
    ) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let stored = try await core.checkpointForEditing(
            try page.id("checkpoint", kind: "checkpoint"), in: operationID, as: page.visit.principal)
        let corridor = try await core.corridorForEditing(
            stored.record.corridorID, in: operationID, as: page.visit.principal)
        return (operation, corridor.record, stored)
    }

    private func read(_ reader: inout FormReader, into checkpoint: Checkpoint) -> Checkpoint {
        var checkpoint = checkpoint
        checkpoint.name = reader.text("name")
        let longitude = reader.decimal("longitude")
        let latitude = reader.decimal("latitude")
        if let longitude, let latitude { checkpoint.location = Point(longitude: longitude, latitude: latitude) }
        checkpoint.monitorTeams = reader.lines("monitorTeams")
        return checkpoint
    }

    func checkpointForm(
        _ operation: EvacuationOperation, _ corridor: Corridor, _ stored: Versioned<PlacedCheckpoint>?, _ visit: Visit,
        typed: FormBody?, errors: FormView
    ) async throws -> RecordForm {
        let checkpoint = stored?.record.checkpoint
        var fields = errors
        func value(_ name: String, _ stored: String?) -> String { typed?.raw(name) ?? stored ?? "" }
        fields.add(
            .init(
                name: "name", label: visit.text("corridor.name"), kind: .text, value: value("name", checkpoint?.name),
                required: true))
        fields.add(
            .init(
                name: "longitude", label: visit.text("plan_form.longitude"), kind: .decimal,
                value: value("longitude", checkpoint.map { "\($0.location.position.longitude)" }), required: true,
                hint: visit.text("plan_form.degrees_hint")))
        fields.add(
            .init(
                name: "latitude", label: visit.text("plan_form.latitude"), kind: .decimal,
                value: value("latitude", checkpoint.map { "\($0.location.position.latitude)" }), required: true))
        fields.add(
            .init(
                name: "monitorTeams", label: visit.text("plan_form.teams"), kind: .textarea,
                value: value("monitorTeams", checkpoint?.monitorTeams.joined(separator: "\n")),
                hint: visit.text("plan_form.one_a_line")))
        let corridorPage = "/operations/\(operation.id)/corridors/\(corridor.id)"
        guard let stored else {
            return RecordForm(
                title: visit.text("plan_form.new_checkpoint", ["corridor": corridor.code]),
                action: corridorPage + "/checkpoints", cancelLink: corridorPage, version: nil,
                submitLabel: visit.text("plan_form.create_checkpoint"), fields: fields)
        }
        return RecordForm(
            title: visit.text("corridor.edit_title", ["name": stored.record.checkpoint.name]),
            action: "/operations/\(operation.id)/checkpoints/\(stored.record.id)", cancelLink: corridorPage,
            version: stored.version, submitLabel: visit.text("corridor.save"), fields: fields)
    }
}

/// A point's issues are told beside its longitude (`0`) or latitude (`1`).
private let checkpointAliases = [
    "location/coordinates/0": "longitude", "location/coordinates/1": "latitude", "location": "longitude",
    "monitorTeams": "monitorTeams",
]
