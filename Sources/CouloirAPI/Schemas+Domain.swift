import CouloirDomain
import CouloirStorage

// Domain values as the API document shapes them.

extension Components.Schemas.Operation {
    init(_ operation: EvacuationOperation) {
        self.init(
            id: operation.id.description, name: operation.name, area: operation.area,
            timeZone: operation.timeZoneIdentifier, languages: operation.languages)
    }
}

extension Components.Schemas.Source {
    init(_ source: Source) {
        self.init(
            name: source.name, kind: .init(rawValue: source.kind.rawValue)!, reference: source.reference,
            illustrative: source.illustrative)
    }
}

extension Components.Schemas.Corridor {
    init(_ corridor: Corridor, status: CorridorStatus) {
        self.init(
            id: corridor.id.description, code: corridor.code, name: corridor.name,
            originSectorId: corridor.originSectorID.description,
            destinationSectorId: corridor.destinationSectorID?.description, destination: corridor.destination,
            allowedGroups: corridor.allowedGroups.sorted().map { .init(rawValue: $0.rawValue)! },
            capacityPerHour: corridor.capacityPerHour,
            route: .init(
                _type: .lineString, coordinates: corridor.route.positions.map { [$0.longitude, $0.latitude] }),
            checkpoints: corridor.checkpoints.enumerated().map { position, checkpoint in
                .init(PlacedCheckpoint(checkpoint, corridorID: corridor.id, position: position))
            },
            overrides: corridor.overrides.map {
                .init(
                    state: .init(rawValue: $0.state.rawValue)!, from: $0.from, until: $0.until, reason: $0.reason,
                    source: .init($0.source))
            },
            source: .init(corridor.source),
            status: .init(status))
    }
}

extension Components.Schemas.CorridorStatus {
    init(_ status: CorridorStatus) {
        var pauseID: String?
        var window: Interval?
        var overrideReason: String?
        switch status.reason {
        case .window(let id, _, let span):
            pauseID = id.description
            window = span
        case .pauseNotActive(let id, _, _), .outsideWindows(let id, _):
            pauseID = id.description
        case .override(let override):
            overrideReason = override.reason
        case .noPause:
            break
        }
        self.init(
            state: .init(rawValue: status.state.rawValue)!, at: status.at, explanation: status.explanation,
            pauseId: pauseID, windowStart: window?.start, windowEnd: window?.end, overrideReason: overrideReason)
    }
}
