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
            if let nextCursor {
                out.key("nextCursor", first: &first)
                out.string(nextCursor)
            }
        }
    }
}

extension Components.Schemas.Corridor: JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported) {
        try out.object { out, first throws(CompactJSONEncoder.Unsupported) in
            out.key("allowedGroups", first: &first)
            out.array(allowedGroups) { out, group in out.string(group.rawValue) }
            if let capacityPerHour {
                out.key("capacityPerHour", first: &first)
                out.integer(capacityPerHour)
            }
            out.key("checkpoints", first: &first)
            try out.array(checkpoints) { out, checkpoint throws(CompactJSONEncoder.Unsupported) in
                try checkpoint.write(to: &out)
            }
            out.key("code", first: &first)
            out.string(code)
            if let destination {
                out.key("destination", first: &first)
                out.string(destination)
            }
            if let destinationSectorId {
                out.key("destinationSectorId", first: &first)
                out.string(destinationSectorId)
            }
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
            if let overrideReason {
                out.key("overrideReason", first: &first)
                out.string(overrideReason)
            }
            if let pauseId {
                out.key("pauseId", first: &first)
                out.string(pauseId)
            }
            out.key("state", first: &first)
            out.string(state.rawValue)
            if let windowEnd {
                out.key("windowEnd", first: &first)
                out.date(windowEnd)
            }
            if let windowStart {
                out.key("windowStart", first: &first)
                out.date(windowStart)
            }
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
            if let until {
                out.key("until", first: &first)
                out.date(until)
            }
        }
    }
}

extension Components.Schemas.Source {
    func write(to out: inout JSONBytes) {
        out.object { out, first in
            if let illustrative {
                out.key("illustrative", first: &first)
                out.bool(illustrative)
            }
            out.key("kind", first: &first)
            out.string(kind.rawValue)
            out.key("name", first: &first)
            out.string(name)
            if let reference {
                out.key("reference", first: &first)
                out.string(reference)
            }
        }
    }
}
