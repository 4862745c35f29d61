/// Where a map's labels go so that none prints over another, nor over a marker: each is
/// given in turn the first of its candidate places that is free, and the first of all
/// when none is (a crowded map still shows every label). Text is measured roughly, as
/// the server knows no font: seven units a character at the map's 12 units, bold.
struct LabelPlacement {
    struct Box {
        var minX, minY, maxX, maxY: Double

        func overlaps(_ other: Box) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }
    }

    /// A label's place: its baseline point and how the text hangs from it.
    struct Place {
        var x, y: Double
        var anchor: String
    }

    let width: Double
    let height: Double
    private(set) var taken: [Box] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Keeps what a marker covers free of labels.
    mutating func reserve(centre x: Double, _ y: Double, radius: Double) {
        taken.append(Box(minX: x - radius, minY: y - radius, maxX: x + radius, maxY: y + radius))
    }

    /// The first free place of `candidates` for `text`, now taken; when none is free,
    /// the one that covers the least of what is there.
    mutating func place(_ text: String, at candidates: [Place]) -> Place {
        place([text], at: candidates)
    }

    /// As `place(_:at:)`, for text of several lines, `lineHeight` apart, the first on
    /// the place's baseline.
    mutating func place(_ lines: [String], at candidates: [Place]) -> Place {
        let chosen =
            candidates.first { cost(Self.box(lines, at: $0)) == 0 }
            ?? candidates.min { cost(Self.box(lines, at: $0)) < cost(Self.box(lines, at: $1)) }!
        taken.append(Self.box(lines, at: chosen))
        return chosen
    }

    /// Whether `lines` fit free at one of `candidates`.
    func fits(_ lines: [String], atOneOf candidates: [Place]) -> Bool {
        candidates.contains { cost(Self.box(lines, at: $0)) == 0 }
    }

    /// How much of what is placed a box would cover, and how far it leaves the map.
    private func cost(_ box: Box) -> Double {
        let outside = max(0, -box.minX) + max(0, box.maxX - width) + max(0, -box.minY) + max(0, box.maxY - height)
        return taken.reduce(outside * 100) { sum, other in
            guard other.overlaps(box) else { return sum }
            return sum + (min(box.maxX, other.maxX) - max(box.minX, other.minX))
                * (min(box.maxY, other.maxY) - max(box.minY, other.minY))
        }
    }

    static let lineHeight = 14.0

    static func box(_ text: String, at place: Place) -> Box {
        box([text], at: place)
    }

    static func box(_ lines: [String], at place: Place) -> Box {
        let length = Double(lines.map(\.count).max() ?? 0) * 7 + 4
        let minX =
            switch place.anchor {
            case "middle": place.x - length / 2
            case "end": place.x - length
            default: place.x
            }
        return Box(
            minX: minX, minY: place.y - 11, maxX: minX + length,
            maxY: place.y + 4 + Double(lines.count - 1) * lineHeight)
    }

    /// Places a label may take beside a point: right, left, above, below, then the
    /// corners, then the same further out.
    static func around(_ x: Double, _ y: Double) -> [Place] {
        var places: [Place] = []
        for gap in [8.0, 20] {
            let (left, right, above, below) = (x - gap, x + gap, y - gap, y + gap)
            places += [
                Place(x: right, y: y + 4, anchor: "start"), Place(x: left, y: y + 4, anchor: "end"),
                Place(x: x, y: above - 2, anchor: "middle"), Place(x: x, y: below + 12, anchor: "middle"),
                Place(x: right, y: above, anchor: "start"), Place(x: left, y: above, anchor: "end"),
                Place(x: right, y: below + 10, anchor: "start"), Place(x: left, y: below + 10, anchor: "end"),
            ]
        }
        return places
    }

    /// Places a label may take about a point it names, the point itself first, then
    /// further and further up and down, and a little to either side.
    static func near(_ x: Double, _ y: Double) -> [Place] {
        [0.0, -14, 14, -28, 28, -42, 42, -56, 56].flatMap { dy in
            [0.0, -40, 40].map { dx in Place(x: x + dx, y: y + dy, anchor: "middle") }
        }
    }

    /// Places along a line (projected points), from its middle outwards, above it first.
    static func along(_ points: [(x: Double, y: Double)]) -> [Place] {
        guard points.count >= 2 else { return points.map { Place(x: $0.x, y: $0.y, anchor: "middle") } }
        var lengths = [0.0]
        for (a, b) in zip(points, points.dropFirst()) {
            lengths.append(lengths.last! + ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot())
        }
        func point(at fraction: Double) -> (x: Double, y: Double) {
            let target = lengths.last! * fraction
            let segment = max(1, lengths.firstIndex { $0 >= target } ?? lengths.count - 1)
            let (a, b) = (points[segment - 1], points[segment])
            let span = lengths[segment] - lengths[segment - 1]
            let t = span > 0 ? (target - lengths[segment - 1]) / span : 0
            return (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
        }
        return [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9].flatMap { fraction -> [Place] in
            let (x, y) = point(at: fraction)
            return [
                Place(x: x, y: y - 6, anchor: "middle"), Place(x: x, y: y + 15, anchor: "middle"),
                Place(x: x + 8, y: y + 4, anchor: "start"), Place(x: x - 8, y: y + 4, anchor: "end"),
            ]
        }
    }
}
