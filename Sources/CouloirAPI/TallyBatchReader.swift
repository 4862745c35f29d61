import Foundation

/// Reads a batch of tallies, or a single tally, from its strict JSON document straight
/// into the generated types, once the document has been checked: the generated decoder
/// would read it a second time, checking every object's members against its schema
/// through a dictionary (29% of the server's CPU in a profiled ingest run).
///
/// It reads only what it is sure the generated decoder reads the same way: every member
/// known, every required one there, each of its type; it declines anything else
/// (`nil`), and the generated path then answers that body, refusals included, as it
/// always has. Tests hold it to the generated decoder on valid and mangled batches.
enum TallyBatchReader {
    typealias Schemas = Components.Schemas

    static func batch(in document: StrictJSON.Document) -> Schemas.TallyBatch? {
        guard let members = document.members(of: document.root, known: ["items"]),
            case .array(let elements)? = members["items"]
        else { return nil }
        var items: [Schemas.TallyInput] = []
        items.reserveCapacity(elements.count)
        for element in elements {
            guard let item = tally(element, in: document) else { return nil }
            items.append(item)
        }
        return Schemas.TallyBatch(items: items)
    }

    /// A single tally, the document's root.
    static func tally(in document: StrictJSON.Document) -> Schemas.TallyInput? {
        tally(document.root, in: document)
    }

    private static func tally(_ value: StrictJSON.Value, in document: StrictJSON.Document) -> Schemas.TallyInput? {
        guard
            let members = document.members(
                of: value,
                known: ["id", "checkpointId", "interval", "direction", "counts", "vehicles", "supersedes", "source"]),
            let id = members["id"].flatMap(document.text),
            let checkpointID = members["checkpointId"].flatMap(document.text),
            let interval = members["interval"].flatMap({ interval($0, in: document) }),
            let direction = members["direction"].flatMap(document.text).flatMap(Schemas.Direction.init(rawValue:)),
            case .array(let elements)? = members["counts"],
            let source = members["source"].flatMap({ source($0, in: document) })
        else { return nil }
        var counts: [Schemas.GroupCount] = []
        for element in elements {
            guard let count = count(element, in: document) else { return nil }
            counts.append(count)
        }
        guard
            let vehicles = document.optional(members["vehicles"], { vehicles($0, in: document) }),
            let supersedes = document.optional(members["supersedes"], document.text)
        else { return nil }
        return Schemas.TallyInput(
            id: id, checkpointId: checkpointID, interval: interval, direction: direction, counts: counts,
            vehicles: vehicles, supersedes: supersedes, source: source)
    }

    private static func interval(_ value: StrictJSON.Value, in document: StrictJSON.Document) -> Schemas.TallyInterval?
    {
        guard let members = document.members(of: value, known: ["start", "end"]),
            let start = members["start"].flatMap(document.text).flatMap(instant),
            let end = members["end"].flatMap(document.text).flatMap(instant)
        else { return nil }
        return Schemas.TallyInterval(start: start, end: end)
    }

    private static func count(_ value: StrictJSON.Value, in document: StrictJSON.Document) -> Schemas.GroupCount? {
        guard
            let members = document.members(
                of: value, known: ["group", "people", "breakdown", "unaccompaniedChildren"]),
            let group = members["group"].flatMap(document.text).flatMap(Schemas.Group.init(rawValue:)),
            let people = members["people"].flatMap(document.integer),
            let breakdown = document.optional(members["breakdown"], { breakdown($0, in: document) }),
            let unaccompanied = document.optional(members["unaccompaniedChildren"], document.integer)
        else { return nil }
        return Schemas.GroupCount(
            group: group, people: people, breakdown: breakdown, unaccompaniedChildren: unaccompanied)
    }

    private static func breakdown(
        _ value: StrictJSON.Value, in document: StrictJSON.Document
    ) -> Schemas.SexAgeBreakdown? {
        guard let members = document.members(of: value, known: ["female", "male"]),
            let female = members["female"].flatMap({ bands($0, in: document) }),
            let male = members["male"].flatMap({ bands($0, in: document) })
        else { return nil }
        return Schemas.SexAgeBreakdown(female: female, male: male)
    }

    private static func bands(_ value: StrictJSON.Value, in document: StrictJSON.Document) -> Schemas.AgeBands? {
        guard let bands = integers(value, ["children", "adults", "elderly"], in: document) else { return nil }
        return Schemas.AgeBands(children: bands[0], adults: bands[1], elderly: bands[2])
    }

    private static func vehicles(_ value: StrictJSON.Value, in document: StrictJSON.Document) -> Schemas.Vehicles? {
        guard let vehicles = integers(value, ["cars", "buses", "ambulances"], in: document) else { return nil }
        return Schemas.Vehicles(cars: vehicles[0], buses: vehicles[1], ambulances: vehicles[2])
    }

    private static func source(_ value: StrictJSON.Value, in document: StrictJSON.Document) -> Schemas.Source? {
        guard let members = document.members(of: value, known: ["name", "kind", "reference", "illustrative"]),
            let name = members["name"].flatMap(document.text),
            let kind = members["kind"].flatMap(document.text).flatMap(Schemas.SourceKind.init(rawValue:)),
            let reference = document.optional(members["reference"], document.text),
            let illustrative = document.optional(members["illustrative"], document.bool)
        else { return nil }
        return Schemas.Source(name: name, kind: kind, reference: reference, illustrative: illustrative)
    }

    /// An object whose members are exactly `names`, each a whole number: their values in
    /// the order of `names`.
    private static func integers(
        _ value: StrictJSON.Value, _ names: [String], in document: StrictJSON.Document
    ) -> [Int]? {
        guard let members = document.members(of: value, known: Set(names)) else { return nil }
        let values = names.compactMap { members[$0].flatMap(document.integer) }
        return values.count == names.count ? values : nil
    }

    /// An instant as the API reads it; `nil` for text it refuses.
    private static func instant(_ text: String) -> Date? {
        try? RFC3339Transcoder().decode(text)
    }
}
