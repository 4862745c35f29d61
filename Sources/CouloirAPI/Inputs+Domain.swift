import CouloirDomain

// Request bodies as domain values. Ids in bodies are text in the document: one that is
// no UUID is an invalid field, named.

extension Source {
    init(_ input: Components.Schemas.Source) {
        self.init(
            name: input.name, kind: SourceKind(rawValue: input.kind.rawValue)!, reference: input.reference,
            illustrative: input.illustrative ?? false)
    }
}

/// A position as the document states it: exactly longitude and latitude.
func position(_ coordinates: [Double], at pointer: String) throws -> Position {
    guard coordinates.count == 2 else {
        throw DomainError.invalid([FieldIssue(pointer, "a position is [longitude, latitude]")])
    }
    return Position(longitude: coordinates[0], latitude: coordinates[1])
}

func identifier<T>(_ text: String, at pointer: String) throws(DomainError) -> Identifier<T> {
    guard let id = Identifier<T>(text) else { throw .invalid([FieldIssue(pointer, "is not a UUID")]) }
    return id
}

extension Corridor {
    init(_ input: Components.Schemas.CorridorInput, operationID: EvacuationOperation.ID) throws {
        let groups = input.allowedGroups.map { Group(rawValue: $0.rawValue)! }
        guard Set(groups).count == groups.count else {
            throw DomainError.invalid([FieldIssue("/allowedGroups", "lists a group twice")])
        }
        self.init(
            operationID: operationID, code: input.code, name: input.name,
            originSectorID: try identifier(input.originSectorId, at: "/originSectorId"),
            destinationSectorID: try input.destinationSectorId.map { try identifier($0, at: "/destinationSectorId") },
            destination: input.destination,
            route: LineString(
                try input.route.coordinates.enumerated().map { try position($1, at: "/route/coordinates/\($0)") }),
            allowedGroups: Set(groups),
            capacityPerHour: input.capacityPerHour, source: Source(input.source))
    }

    init(_ input: Components.Schemas.CorridorCreation, operationID: EvacuationOperation.ID) throws {
        try self.init(
            Components.Schemas.CorridorInput(
                code: input.code, name: input.name, originSectorId: input.originSectorId,
                destinationSectorId: input.destinationSectorId, destination: input.destination,
                allowedGroups: input.allowedGroups, capacityPerHour: input.capacityPerHour, route: input.route,
                source: input.source),
            operationID: operationID)
        checkpoints = try (input.checkpoints ?? []).enumerated().map { index, checkpoint in
            try Checkpoint(
                name: checkpoint.name, location: checkpoint.location, monitorTeams: checkpoint.monitorTeams,
                at: "/checkpoints/\(index)")
        }
    }
}
