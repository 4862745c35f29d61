/// The corridor list, the largest of the plan's frequent answers, written by hand with
/// the bytes the generated types give through the runtime's encoder: members in the
/// order of their keys' bytes, optional members left out when absent.
/// `CorridorJSONTests` holds every type here to the runtime's bytes, with every
/// optional member present and absent.
extension Components.Schemas.CorridorList: JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported) {
        try out.object { out, first throws(CompactJSONEncoder.Unsupported) in
            out.key("at", first: &first)
            out.date(at)
            out.key("items", first: &first)
            try out.array(items) { out, corridor throws(CompactJSONEncoder.Unsupported) in try corridor.write(to: &out)
            }
            out.optional("nextCursor", nextCursor, first: &first) { $0.string($1) }
        }
    }
}

extension Components.Schemas.Corridor: JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported) {
        try out.object { out, first throws(CompactJSONEncoder.Unsupported) in
            out.key("allowedGroups", first: &first)
            out.array(allowedGroups) { out, group in out.string(group.rawValue) }
            out.optional("capacityPerHour", capacityPerHour, first: &first) { $0.integer($1) }
            out.key("checkpoints", first: &first)
            try out.array(checkpoints) { out, checkpoint throws(CompactJSONEncoder.Unsupported) in
                try checkpoint.write(to: &out)
            }
            out.key("code", first: &first)
            out.string(code)
            out.optional("destination", destination, first: &first) { $0.string($1) }
            out.optional("destinationSectorId", destinationSectorId, first: &first) { $0.string($1) }
            out.key("id", first: &first)
            out.string(id)
            out.key("name", first: &first)
            out.string(name)
            out.key("originSectorId", first: &first)
            out.string(originSectorId)
            out.key("overrides", first: &first)
            out.array(overrides) { out, override in override.write(to: &out) }
            out.key("route", first: &first)
            try route.write(to: &out)
            out.key("source", first: &first)
            source.write(to: &out)
            out.key("status", first: &first)
            status.write(to: &out)
        }
    }
}

extension Components.Schemas.Checkpoint: JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported) {
        try out.object { out, first throws(CompactJSONEncoder.Unsupported) in
            out.key("corridorId", first: &first)
            out.string(corridorId)
            out.key("id", first: &first)
            out.string(id)
            out.key("location", first: &first)
            try location.write(to: &out)
            out.key("monitorTeams", first: &first)
            out.array(monitorTeams) { out, team in out.string(team) }
            out.key("name", first: &first)
            out.string(name)
            out.key("position", first: &first)
            out.integer(position)
        }
    }
}

extension Components.Schemas.LineString: JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported) {
        try out.object { out, first throws(CompactJSONEncoder.Unsupported) in
            out.key("coordinates", first: &first)
            try out.array(coordinates) { out, position throws(CompactJSONEncoder.Unsupported) in
                try out.array(position) { out, number throws(CompactJSONEncoder.Unsupported) in try out.double(number) }
            }
            out.key("type", first: &first)
            out.string(_type.rawValue)
        }
    }
}

extension Components.Schemas.Point: JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported) {
        try out.object { out, first throws(CompactJSONEncoder.Unsupported) in
            out.key("coordinates", first: &first)
            try out.array(coordinates) { out, number throws(CompactJSONEncoder.Unsupported) in try out.double(number) }
            out.key("type", first: &first)
            out.string(_type.rawValue)
        }
    }
}

extension Components.Schemas.CorridorStatus {
    func write(to out: inout JSONBytes) {
        out.object { out, first in
            out.key("at", first: &first)
            out.date(at)
            out.key("explanation", first: &first)
            out.string(explanation)
            out.optional("overrideReason", overrideReason, first: &first) { $0.string($1) }
            out.optional("pauseId", pauseId, first: &first) { $0.string($1) }
            out.key("state", first: &first)
            out.string(state.rawValue)
            out.optional("windowEnd", windowEnd, first: &first) { $0.date($1) }
            out.optional("windowStart", windowStart, first: &first) { $0.date($1) }
        }
    }
}

extension Components.Schemas.StatusOverride {
    func write(to out: inout JSONBytes) {
        out.object { out, first in
            out.key("from", first: &first)
            out.date(from)
            out.key("reason", first: &first)
            out.string(reason)
            out.key("source", first: &first)
            source.write(to: &out)
            out.key("state", first: &first)
            out.string(state.rawValue)
            out.optional("until", until, first: &first) { $0.date($1) }
        }
    }
}

extension Components.Schemas.Source {
    func write(to out: inout JSONBytes) {
        out.object { out, first in
            out.optional("illustrative", illustrative, first: &first) { $0.bool($1) }
            out.key("kind", first: &first)
            out.string(kind.rawValue)
            out.key("name", first: &first)
            out.string(name)
            out.optional("reference", reference, first: &first) { $0.string($1) }
        }
    }
}
