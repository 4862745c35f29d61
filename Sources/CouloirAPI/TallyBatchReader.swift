import Foundation

/// Reads a batch of tallies from its strict JSON document straight into the generated
/// types, once the document has been checked: the generated decoder would read it a
/// second time, checking every object's members against its schema through a
/// dictionary, which cost more than storing the batch.
///
/// It reads only what it is sure the generated decoder reads the same way: every member
/// known, every required one there, each of its type; it declines anything else
/// (`nil`), and the generated path then answers that body, refusals included, as it
/// always has. Tests hold it to the generated decoder on valid and mangled batches.
enum TallyBatchReader {
    typealias Schemas = Components.Schemas

    static func batch(in document: StrictJSON.Document) -> Schemas.TallyBatch? {
        let reader = Members(document: document)
        guard let members = reader.object(document.root, known: ["items"]),
            case .array(let elements)? = members["items"]
        else { return nil }
        var items: [Schemas.TallyInput] = []
        items.reserveCapacity(elements.count)
        for element in elements {
            guard let item = tally(element, reader) else { return nil }
            items.append(item)
        }
        return Schemas.TallyBatch(items: items)
    }

    private static func tally(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.TallyInput? {
        guard
            let members = reader.object(
                value,
                known: ["id", "checkpointId", "interval", "direction", "counts", "vehicles", "supersedes", "source"]),
            let id = members["id"].flatMap(reader.text),
            let checkpointID = members["checkpointId"].flatMap(reader.text),
            let interval = members["interval"].flatMap({ interval($0, reader) }),
            let direction = members["direction"].flatMap(reader.text).flatMap(Schemas.Direction.init(rawValue:)),
            case .array(let elements)? = members["counts"],
            let source = members["source"].flatMap({ source($0, reader) })
        else { return nil }
        var counts: [Schemas.GroupCount] = []
        for element in elements {
            guard let count = count(element, reader) else { return nil }
            counts.append(count)
        }
        guard let vehicles = reader.optional(members["vehicles"], { vehicles($0, reader) }),
            let supersedes = reader.optional(members["supersedes"], reader.text)
        else { return nil }
        return Schemas.TallyInput(
            id: id, checkpointId: checkpointID, interval: interval, direction: direction, counts: counts,
            vehicles: vehicles, supersedes: supersedes, source: source)
    }

    private static func interval(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.TallyInterval? {
        guard let members = reader.object(value, known: ["start", "end"]),
            let start = members["start"].flatMap(reader.text).flatMap(instant),
            let end = members["end"].flatMap(reader.text).flatMap(instant)
        else { return nil }
        return Schemas.TallyInterval(start: start, end: end)
    }

    private static func count(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.GroupCount? {
        guard
            let members = reader.object(value, known: ["group", "people", "breakdown", "unaccompaniedChildren"]),
            let group = members["group"].flatMap(reader.text).flatMap(Schemas.Group.init(rawValue:)),
            let people = members["people"].flatMap(reader.integer),
            let breakdown = reader.optional(members["breakdown"], { breakdown($0, reader) }),
            let unaccompanied = reader.optional(members["unaccompaniedChildren"], reader.integer)
        else { return nil }
        return Schemas.GroupCount(
            group: group, people: people, breakdown: breakdown, unaccompaniedChildren: unaccompanied)
    }

    private static func breakdown(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.SexAgeBreakdown? {
        guard let members = reader.object(value, known: ["female", "male"]),
            let female = members["female"].flatMap({ bands($0, reader) }),
            let male = members["male"].flatMap({ bands($0, reader) })
        else { return nil }
        return Schemas.SexAgeBreakdown(female: female, male: male)
    }

    private static func bands(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.AgeBands? {
        guard let members = reader.object(value, known: ["children", "adults", "elderly"]),
            let children = members["children"].flatMap(reader.integer),
            let adults = members["adults"].flatMap(reader.integer),
            let elderly = members["elderly"].flatMap(reader.integer)
        else { return nil }
        return Schemas.AgeBands(children: children, adults: adults, elderly: elderly)
    }

    private static func vehicles(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.Vehicles? {
        guard let members = reader.object(value, known: ["cars", "buses", "ambulances"]),
            let cars = members["cars"].flatMap(reader.integer),
            let buses = members["buses"].flatMap(reader.integer),
            let ambulances = members["ambulances"].flatMap(reader.integer)
        else { return nil }
        return Schemas.Vehicles(cars: cars, buses: buses, ambulances: ambulances)
    }

    private static func source(_ value: StrictJSON.Value, _ reader: Members) -> Schemas.Source? {
        guard let members = reader.object(value, known: ["name", "kind", "reference", "illustrative"]),
            let name = members["name"].flatMap(reader.text),
            let kind = members["kind"].flatMap(reader.text).flatMap(Schemas.SourceKind.init(rawValue:)),
            let reference = reader.optional(members["reference"], reader.text),
            let illustrative = reader.optional(members["illustrative"], reader.bool)
        else { return nil }
        return Schemas.Source(name: name, kind: kind, reference: reference, illustrative: illustrative)
    }

    /// An instant as the API reads it; `nil` for text it refuses.
    private static func instant(_ text: String) -> Date? {
        try? RFC3339Transcoder().decode(text)
    }

    /// Reads values of one document.
    private struct Members {
        let document: StrictJSON.Document

        /// An object's members by name, when it is an object and each is `known`.
        func object(_ value: StrictJSON.Value, known: Set<String>) -> [String: StrictJSON.Value]? {
            guard case .object(let members) = value else { return nil }
            var byName: [String: StrictJSON.Value] = [:]
            byName.reserveCapacity(members.count)
            for member in members {
                guard known.contains(member.name) else { return nil }
                byName[member.name] = member.value
            }
            return byName
        }

        func text(_ value: StrictJSON.Value) -> String? { document.text(value) }

        func integer(_ value: StrictJSON.Value) -> Int? { document.integer(value) }

        func bool(_ value: StrictJSON.Value) -> Bool? {
            guard case .bool(let bool) = value else { return nil }
            return bool
        }

        /// An optional member: `.some(nil)` when absent or null, `.some(value)` when it
        /// reads, `nil` (decline) when it is there and does not.
        func optional<T>(_ value: StrictJSON.Value?, _ read: (StrictJSON.Value) -> T?) -> T?? {
            guard let value else { return .some(nil) }
            if case .null = value { return .some(nil) }
            guard let read = read(value) else { return nil }
            return .some(read)
        }
    }
}
