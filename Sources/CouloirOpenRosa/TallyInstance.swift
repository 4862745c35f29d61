public import CouloirDomain
public import Foundation

/// A submission of the tally form read as a tally: the instance XML ODK Collect writes
/// from `tally.xform.xml`. Reading decides nothing about access or the operation's plan;
/// the core does, as for every face.
public struct TallyInstance: Sendable {
    public var tally: Tally

    /// Why an instance cannot be read; `issues` name the fields by the form's paths.
    public enum Refusal: Error, Sendable, Hashable {
        /// Not XML, or not the tally form.
        case unreadable(String)
        /// `meta/instanceID` is missing or not `uuid:` and a UUID.
        case instanceID
        /// Fields the form's own rules should have refused.
        case invalid([FieldIssue])
    }

    /// Reads `xml`, counted with `source`.
    public init(xml: Data, source: Source) throws(Refusal) {
        guard let root = XMLElementNode.parse(xml) else {
            throw .unreadable("The submission is not well-formed XML.")
        }
        guard let formID = root.attributes["id"], let operationID = TallyForm.operationID(inFormID: formID) else {
            throw .unreadable("This is not Couloir's tally form: download the form again.")
        }
        guard let instanceID = root.value("meta", "instanceID"), let id = Self.uuid(instanceID) else {
            throw .instanceID
        }
        var issues: [FieldIssue] = []
        func read<Value>(_ text: String?, at path: String, _ parse: (String) -> Value?, required: Bool = true)
            -> Value?
        {
            guard let text else {
                if required { issues.append(FieldIssue(path, "is required")) }
                return nil
            }
            guard let value = parse(text) else {
                issues.append(FieldIssue(path, "cannot be read: \(text.prefix(40))"))
                return nil
            }
            return value
        }
        let checkpointID = read(root.value("checkpoint"), at: "checkpoint", Checkpoint.ID.init)
        let start = read(root.value("start"), at: "start", Self.instant)
        let end = read(root.value("end"), at: "end", Self.instant)
        let direction = read(root.value("direction"), at: "direction", Direction.init(rawValue:))
        let supersedes = read(root.value("meta", "deprecatedID"), at: "meta/deprecatedID", Self.uuid, required: false)
        var counts: [GroupCount] = []
        for (index, entry) in root.children("people").enumerated() {
            let path = "people[\(index + 1)]/"
            let group = read(entry.value("group"), at: path + "group", Group.init(rawValue:))
            let people = read(entry.value("count"), at: path + "count", Int.init)
            var breakdown: SexAgeBreakdown?
            if entry.value("observed") == "yes" {
                func band(_ name: String) -> Int {
                    read(entry.value("breakdown", name), at: path + "breakdown/" + name, Int.init) ?? 0
                }
                breakdown = SexAgeBreakdown(
                    female: AgeBands(
                        children: band("female_children"), adults: band("female_adults"),
                        elderly: band("female_elderly")),
                    male: AgeBands(
                        children: band("male_children"), adults: band("male_adults"), elderly: band("male_elderly")))
            }
            let unaccompanied = read(
                entry.value("unaccompanied"), at: path + "unaccompanied", Int.init, required: false)
            if let group, let people {
                counts.append(
                    GroupCount(
                        group: group, people: people, breakdown: breakdown, unaccompaniedChildren: unaccompanied))
            }
        }
        func vehicles(_ name: String) -> Int {
            read(root.value("vehicles", name), at: "vehicles/" + name, Int.init, required: false) ?? 0
        }
        let vehicles = Vehicles(cars: vehicles("cars"), buses: vehicles("buses"), ambulances: vehicles("ambulances"))
        guard issues.isEmpty, let checkpointID, let start, let end, let direction else { throw .invalid(issues) }
        tally = Tally(
            id: Tally.ID(id), operationID: operationID, checkpointID: checkpointID,
            interval: Interval(start: start, end: end), direction: direction, counts: counts, vehicles: vehicles,
            supersedes: supersedes.map { Tally.ID($0) }, source: source)
    }

    /// The UUID of `uuid:…`, as Collect writes `instanceID` and `deprecatedID`.
    static func uuid(_ text: String) -> UUID? {
        guard text.hasPrefix("uuid:") else { return nil }
        return UUID(uuidString: String(text.dropFirst(5)))
    }

    /// An XForms `dateTime` as Collect writes it (`2016-10-20T09:00:00.000+03:00`), in any
    /// offset, as RFC 3339 reads it; one without an offset is refused, since the instant it
    /// means cannot be known.
    static func instant(_ text: String) -> Date? { UTCText.date(text) }
}
