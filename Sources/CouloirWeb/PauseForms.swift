import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird

/// Proposing a pause and revising its terms while it has never been in force: its
/// windows (fixed spans, or the same hours each day), the corridors and sectors it
/// covers, its conditions and each party's guarantee. A list is a set of numbered
/// rows, one of them blank to add an item; a row left blank is no item.
extension WebFace {
    func addPauseForms<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        page(router, "/operations/:operation/pauses/new") { page in
            let operation = try await operation(page, toCreate: .managePause)
            return try await render(
                pauseForm(operation, nil, page.visit, typed: nil, errors: FormView()), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/pauses") { page, form in
            let visit = page.visit
            let operation = try await operation(page, toCreate: .managePause)
            var reader = FormReader(
                form, visit: visit, formats: Formats(language: visit.language, timeZone: operation.timeZone))
            let proposedAt = reader.instant("proposedAt")
            let (pause, aliases) = read(
                &reader,
                into: Pause(
                    operationID: operation.id, name: "", windows: [], corridorIDs: [],
                    proposedAt: proposedAt ?? core.now(), source: Source(name: "", kind: .coordinator)))
            return try await save(reader, aliases: aliases) {
                let stored = try await core.create(pause, as: visit.principal)
                return "/operations/\(operation.id)/pauses/\(stored.record.id)"
            } again: { errors in
                try await render(
                    pauseForm(operation, nil, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            }
        }
        page(router, "/operations/:operation/pauses/:pause/edit") { page in
            let (operation, stored) = try await managedPause(page)
            var errors = FormView()
            if !stored.record.termsAreOpen { errors.errors["terms"] = page.visit.text("pause_form.terms_fixed") }
            return try await render(
                pauseForm(operation, stored, page.visit, typed: nil, errors: errors), of: operation,
                visit: page.visit, typed: nil)
        }
        form(router, "/operations/:operation/pauses/:pause") { page, form in
            let visit = page.visit
            let (operation, stored) = try await managedPause(page)
            var reader = FormReader(
                form, visit: visit, formats: Formats(language: visit.language, timeZone: operation.timeZone))
            let (terms, aliases) = read(&reader, into: stored.record)
            do {
                return try await save(reader, aliases: aliases) {
                    _ = try await core.update(
                        pause: stored.record.id, in: operation.id, to: terms, expecting: form.expectedVersion,
                        as: visit.principal)
                    return "/operations/\(operation.id)/pauses/\(stored.record.id)"
                } again: { errors in
                    try await render(
                        pauseForm(operation, stored, visit, typed: form, errors: errors), of: operation, visit: visit,
                        typed: form)
                } stale: {
                    let current = try await core.pauseForManaging(
                        stored.record.id, in: operation.id, as: visit.principal)
                    return try await render(
                        pauseForm(operation, current, visit, typed: nil, errors: FormView()), of: operation,
                        visit: visit, typed: nil, stale: form)
                }
            } catch DomainError.conflict {
                // It came into force meanwhile: its terms stay as they were.
                var errors = FormView()
                errors.errors["terms"] = visit.text("pause_form.terms_fixed")
                return try await render(
                    pauseForm(operation, stored, visit, typed: form, errors: errors), of: operation, visit: visit,
                    typed: form)
            }
        }
    }

    private func managedPause(_ page: PageRequest) async throws -> (EvacuationOperation, Versioned<Pause>) {
        let operationID: EvacuationOperation.ID = try page.id("operation", kind: "operation")
        let operation = try await core.operation(operationID, as: page.visit.principal).record
        let stored = try await core.pauseForManaging(
            try page.id("pause", kind: "pause"), in: operationID, as: page.visit.principal)
        return (operation, stored)
    }

    /// The numbers of the rows of list `name` the form sent (`fixed/0/start` is row 0
    /// of `fixed`), in order.
    static func rows(_ form: FormBody?, _ name: String) -> [Int] {
        guard let form else { return [] }
        let prefix = name + "/"
        return Set(
            form.values.keys.compactMap { key -> Int? in
                guard key.hasPrefix(prefix) else { return nil }
                return Int(key.dropFirst(prefix.count).prefix { $0 != "/" })
            }
        )
        .filter { $0 < Limits.windowsPerPause * 2 }.sorted()
    }

    /// The pause's terms as the form gives them, over `pause`'s other values, and the
    /// pointer of each item read to the row that holds it.
    private func read(_ reader: inout FormReader, into pause: Pause) -> (Pause, [String: String]) {
        var pause = pause
        var aliases = ["windows": "fixed/0/start", "sectorIds": "sectorIds", "corridorIds": "corridorIds"]
        pause.name = reader.text("name")
        pause.windows = []
        for row in Self.rows(reader.form, "fixed") {
            let prefix = "fixed/\(row)/"
            guard reader.form[prefix + "start"] != nil || reader.form[prefix + "end"] != nil else { continue }
            let start = reader.instant(prefix + "start")
            let end = reader.instant(prefix + "end")
            guard let start, let end else { continue }
            aliases["windows/\(pause.windows.count)/fixed/"] = prefix
            pause.windows.append(.fixed(Interval(start: start, end: end)))
        }
        for row in Self.rows(reader.form, "daily") {
            let prefix = "daily/\(row)/"
            let names = ["firstDay", "lastDay", "opens", "closes"]
            guard names.contains(where: { reader.form[prefix + $0] != nil }) else { continue }
            let firstDay = reader.date(prefix + "firstDay")
            let lastDay = reader.date(prefix + "lastDay")
            let opens = reader.time(prefix + "opens")
            let closes = reader.time(prefix + "closes")
            guard let firstDay, let lastDay, let opens, let closes else { continue }
            aliases["windows/\(pause.windows.count)/daily/"] = prefix
            pause.windows.append(
                .daily(DailyHours(firstDay: firstDay, lastDay: lastDay, opens: opens, closes: closes)))
        }
        pause.sectorIDs = reader.identifiers("sectorIds")
        pause.corridorIDs = reader.identifiers("corridorIds")
        pause.conditions = reader.lines("conditions")
        let stored = pause.guarantees
        pause.guarantees = []
        for row in Self.rows(reader.form, "guarantees") {
            let prefix = "guarantees/\(row)/"
            let names = ["partyId", "statement", "at", "source/name", "source/reference"]
            guard names.contains(where: { reader.form[prefix + $0] != nil }) else { continue }
            let parties: [Party.ID] = reader.identifiers(prefix + "partyId")
            let party = parties.first
            if party == nil, reader.errors[prefix + "partyId"] == nil {
                reader.errors[prefix + "partyId"] = reader.visit.text("error.choose")
            }
            let stance = reader.choice(prefix + "stance", Guarantee.Stance.self)
            let statement = reader.text(prefix + "statement")
            let at = reader.instant(prefix + "at")
            let source = reader.source(prefix + "source")
            guard let party, let stance, let at, let source else { continue }
            aliases["guarantees/\(pause.guarantees.count)/"] = prefix
            let before = stored.first { $0.partyID == party }?.source
            pause.guarantees.append(
                Guarantee(
                    partyID: party, stance: stance, statement: statement, at: at,
                    source: source.keepingMark(of: before)))
        }
        if let source = reader.source() { pause.source = source.keepingMark(of: pause.source) }
        return (pause, aliases)
    }

    func pauseForm(
        _ operation: EvacuationOperation, _ stored: Versioned<Pause>?, _ visit: Visit, typed: FormBody?,
        errors: FormView
    ) async throws -> RecordForm {
        let formats = Formats(language: visit.language, timeZone: operation.timeZone)
        let pause = stored?.record
        let principal = visit.principal
        let zoneHint = visit.text("plan_form.zone_hint", ["zone": operation.timeZoneIdentifier])
        var fields = errors
        func value(_ name: String, _ stored: String?) -> String { typed?.raw(name) ?? stored ?? "" }
        fields.add(
            .init(
                name: "name", label: visit.text("pause.name"), kind: .text, value: value("name", pause?.name),
                required: true))
        if pause == nil {
            fields.add(
                .init(
                    name: "proposedAt", label: visit.text("pause.proposed"), kind: .datetime,
                    value: value("proposedAt", formats.localInput(core.now())), required: true, hint: zoneHint))
        }
        // Fixed spans, then daily hours: the stored ones (or the rows sent) and one blank.
        var fixed: [(start: String, end: String)] = []
        var daily: [[String]] = []
        for window in pause?.windows ?? [] {
            switch window {
            case .fixed(let span): fixed.append((formats.localInput(span.start), formats.localInput(span.end)))
            case .daily(let hours):
                daily.append(
                    [hours.firstDay, hours.lastDay].map(\.description) + [hours.opens, hours.closes].map(\.description))
            }
        }
        let fixedRows = typed.map { Self.rows($0, "fixed") }.flatMap { $0.isEmpty ? nil : $0 } ?? Array(0...fixed.count)
        for row in fixedRows {
            let stored = row < fixed.count ? fixed[row] : nil
            let n = ["n": formats.number(row + 1)]
            fields.add(
                .init(
                    name: "fixed/\(row)/start", label: visit.text("pause_form.fixed_start", n), kind: .datetime,
                    value: value("fixed/\(row)/start", stored?.start), hint: row == 0 ? zoneHint : nil,
                    section: row == 0 ? visit.text("pause_form.fixed_windows") : nil))
            fields.add(
                .init(
                    name: "fixed/\(row)/end", label: visit.text("pause_form.fixed_end", n), kind: .datetime,
                    value: value("fixed/\(row)/end", stored?.end)))
        }
        let dailyRows = typed.map { Self.rows($0, "daily") }.flatMap { $0.isEmpty ? nil : $0 } ?? Array(0...daily.count)
        let dailyNames: [(name: String, key: String, kind: FormView.Kind)] = [
            ("firstDay", "pause_form.first_day", .date), ("lastDay", "pause_form.last_day", .date),
            ("opens", "pause_form.daily_opens", .time), ("closes", "pause_form.daily_closes", .time),
        ]
        for row in dailyRows {
            for (i, part) in dailyNames.enumerated() {
                let name = "daily/\(row)/\(part.name)"
                fields.add(
                    .init(
                        name: name, label: visit.text(part.key, ["n": formats.number(row + 1)]), kind: part.kind,
                        value: value(name, row < daily.count ? daily[row][i] : nil),
                        hint: row == 0 && i == 2 ? visit.text("pause_form.daily_hint") : nil,
                        section: row == 0 && i == 0 ? visit.text("pause_form.daily_windows") : nil))
            }
        }
        let corridors = try await core.corridors(in: operation.id, at: core.now(), as: principal)
        fields.add(
            .init(
                name: "corridorIds", label: visit.text("pause.corridors"), kind: .multiselect, value: "",
                options: corridors.map { ($0.corridor.id.description, "\($0.corridor.code) · \($0.corridor.name)") },
                required: true,
                chosen: Set(typed?.values["corridorIds"] ?? pause?.corridorIDs.map(\.description) ?? []),
                section: visit.text("pause_form.coverage")))
        let sectors = try await core.sectors(in: operation.id, at: core.now(), as: principal)
        fields.add(
            .init(
                name: "sectorIds", label: visit.text("pause.sectors"), kind: .multiselect, value: "",
                options: sectors.map { ($0.id.description, $0.name) },
                chosen: Set(typed?.values["sectorIds"] ?? pause?.sectorIDs.map(\.description) ?? [])))
        fields.add(
            .init(
                name: "conditions", label: visit.text("pause.conditions"), kind: .textarea,
                value: value("conditions", pause?.conditions.joined(separator: "\n")),
                hint: visit.text("plan_form.one_a_line")))
        let parties = try await core.parties(in: operation.id, as: principal)
        let partyChoices = [("", visit.text("form.choose"))] + parties.map { ($0.id.description, $0.name) }
        let guarantees = pause?.guarantees ?? []
        let guaranteeRows =
            typed.map { Self.rows($0, "guarantees") }.flatMap { $0.isEmpty ? nil : $0 } ?? Array(0...guarantees.count)
        for row in guaranteeRows {
            let stored = row < guarantees.count ? guarantees[row] : nil
            let prefix = "guarantees/\(row)/"
            let n = ["n": formats.number(row + 1)]
            fields.add(
                .init(
                    name: prefix + "partyId", label: visit.text("pause_form.guarantee_party", n), kind: .select,
                    value: value(prefix + "partyId", stored?.partyID.description), options: partyChoices,
                    section: row == 0 ? visit.text("pause.guarantees") : nil))
            fields.add(
                .init(
                    name: prefix + "stance", label: visit.text("pause_form.guarantee_stance", n), kind: .select,
                    value: value(prefix + "stance", stored?.stance.rawValue),
                    options: visit.choices(Guarantee.Stance.allCases, "stance")))
            fields.add(
                .init(
                    name: prefix + "statement", label: visit.text("pause_form.guarantee_statement", n),
                    kind: .textarea, value: value(prefix + "statement", stored?.statement)))
            fields.add(
                .init(
                    name: prefix + "at", label: visit.text("pause_form.guarantee_at", n), kind: .datetime,
                    value: value(prefix + "at", stored.map { formats.localInput($0.at) })))
            fields.addSource(visit, typed: typed, prefix: prefix + "source", stored: stored?.source) {
                visit.text("pause_form.guarantee_source_\($0)", n)
            }
        }
        fields.addSource(visit, typed: typed, stored: pause?.source, section: visit.text("pause_form.pause_source"))
        let base = "/operations/\(operation.id)"
        guard let stored else {
            return RecordForm(
                title: visit.text("pause_form.new_title"), action: "\(base)/pauses", cancelLink: base, version: nil,
                submitLabel: visit.text("pause_form.create"), fields: fields)
        }
        let page = "\(base)/pauses/\(stored.record.id)"
        return RecordForm(
            title: visit.text("corridor.edit_title", ["name": stored.record.name]), action: page, cancelLink: page,
            version: stored.version, submitLabel: visit.text("corridor.save"), fields: fields)
    }
}
