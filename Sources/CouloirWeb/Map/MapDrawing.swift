import CouloirDomain
import Foundation

/// What a map shows, already in the page's words: the renderer knows no catalogue and
/// no core, so it is tested on plain values.
struct MapContent {
    struct Area {
        var name: String
        var rings: [[Position]]
        /// The index of the party in control in `legend.parties`, nil when none is recorded.
        var party: Int?
    }

    struct Route {
        var code: String
        var positions: [Position]
        var state: CorridorStatus.State
        /// Where the route ends: the reception side.
        var reception: String?
    }

    struct Marker {
        var name: String
        var position: Position
        /// What is written beside it: the people counted there.
        var label: String
    }

    /// An incident where it happened: its point, its corridor's middle, its sector's middle.
    struct Incident {
        var title: String
        var position: Position
        /// `severity-<value>` of the stylesheet.
        var severity: String
    }

    struct Legend {
        var title: String
        var parties: [String]
        var noParty: String
        /// Open, closed, blocked, in the page's words.
        var states: [CorridorStatus.State: String]
        var checkpoint: String
        var reception: String
        var incident: String
    }

    var title: String
    var description: String
    var areas: [Area] = []
    var routes: [Route] = []
    var markers: [Marker] = []
    var incidents: [Incident] = []
    var legend: Legend
    /// The scale bar's text for a distance in metres.
    var distance: (Double) -> String
    var north: String
}

/// The map as SVG, drawn by the server: sectors filled by who controls them (a colour
/// safe for colour-blind readers and a hatching of its own each), corridors along their
/// routes styled by status (colour and dash), checkpoints and reception points as
/// markers, a legend, a scale bar and a north arrow. Styles are classes of the page's
/// stylesheet and presentation attributes: no inline style, as the page's policy wants.
/// A map is not mirrored for a right-to-left page: its layout stays left to right,
/// and each label's own text is set by the bidirectional algorithm.
enum MapDrawing {
    static let width = 640.0
    static let height = 480.0
    /// Room on the right for the legend.
    static let legendWidth = 270.0
    /// Hatchings, one a party, repeated past seven parties.
    static let hatchAngles = [45, -45, 0, 90, 30, -60, 15]

    static func svg(_ content: MapContent) -> String {
        let positions =
            content.areas.flatMap { $0.rings.flatMap { $0 } } + content.routes.flatMap(\.positions)
            + content.markers.map(\.position)
        let projection = MapProjection(fitting: positions, width: width, height: height, margin: 24)
        func xy(_ position: Position) -> String {
            let (x, y) = projection.point(position)
            return "\(number(x)),\(number(y))"
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 \(number(width + legendWidth)) \
            \(number(height))" direction="ltr" role="img" aria-labelledby="map-title map-desc">\
            <title id="map-title">\(escape(content.title))</title><desc id="map-desc">\(escape(content.description))</desc>
            """
        svg += "<defs>"
        for (i, _) in content.legend.parties.enumerated() {
            let angle = hatchAngles[i % hatchAngles.count]
            svg += """
                <pattern id="hatch-\(i)" class="party-\(i % 7)" width="8" height="8" patternUnits="userSpaceOnUse" \
                patternTransform="rotate(\(angle))"><rect width="8" height="8"/><line x1="0" y1="0" x2="0" y2="8"/></pattern>
                """
        }
        svg += "</defs><rect class=\"map-ground\" width=\"\(number(width))\" height=\"\(number(height))\"/>"
        for area in content.areas {
            let fill = area.party.map { "url(#hatch-\($0))" } ?? "none"
            let path = area.rings.map { ring in "M" + ring.map(xy).joined(separator: "L") + "Z" }.joined()
            svg += "<path class=\"sector\" d=\"\(path)\" fill=\"\(fill)\" fill-rule=\"evenodd\"><title>"
            svg += escape(area.name) + "</title></path>"
        }
        // Markers first, then labels placed where they print over nothing drawn before.
        var labels = LabelPlacement(width: width, height: height)
        for marker in content.markers {
            let (x, y) = projection.point(marker.position)
            labels.reserve(centre: x, y, radius: 6)
        }
        for route in content.routes where route.positions.count >= 2 {
            let (x, y) = projection.point(route.positions.last!)
            labels.reserve(centre: x, y, radius: 7)
        }
        for incident in content.incidents {
            let (x, y) = projection.point(incident.position)
            labels.reserve(centre: x, y, radius: 8)
        }
        var text = ""
        for route in content.routes where route.positions.count >= 2 {
            let path = "M" + route.positions.map(xy).joined(separator: "L")
            svg += "<path class=\"corridor corridor-\(route.state.rawValue)\" d=\"\(path)\" fill=\"none\"><title>"
            svg += escape("\(route.code) · \(content.legend.states[route.state] ?? route.state.rawValue)")
            svg += "</title></path>"
            let end = projection.point(route.positions.last!)
            svg += "<circle class=\"reception\" cx=\"\(number(end.x))\" cy=\"\(number(end.y))\" r=\"6\">"
            svg += "<title>\(escape(route.reception ?? content.legend.reception))</title></circle>"
            let place = labels.place(
                route.code, at: LabelPlacement.along(route.positions.map { projection.point($0) }))
            text += "<text class=\"corridor-label\" x=\"\(number(place.x))\" y=\"\(number(place.y))\" "
            text += "text-anchor=\"\(place.anchor)\">\(escape(route.code))</text>"
        }
        for marker in content.markers {
            let (x, y) = projection.point(marker.position)
            svg +=
                "<rect class=\"checkpoint\" x=\"\(number(x - 5))\" y=\"\(number(y - 5))\" width=\"10\" height=\"10\">"
            svg += "<title>\(escape(marker.name))</title></rect>"
            let place = labels.place(marker.label, at: LabelPlacement.around(x, y))
            text += "<text class=\"checkpoint-label\" x=\"\(number(place.x))\" y=\"\(number(place.y))\" "
            text += "text-anchor=\"\(place.anchor)\">" + escape(marker.label) + "</text>"
        }
        // Sectors' names last: they are long, and may stand anywhere near their middle,
        // on two lines where one does not fit.
        for area in content.areas {
            guard let ring = area.rings.first, !ring.isEmpty else { continue }
            let centre = projection.point(centroid(ring))
            let candidates = LabelPlacement.near(centre.x, centre.y)
            var lines = [area.name]
            let halves = wrapped(area.name, width: (area.name.count + 1) / 2 + 2)
            if !labels.fits(lines, atOneOf: candidates), halves.count == 2, labels.fits(halves, atOneOf: candidates) {
                lines = halves
            }
            let place = labels.place(lines, at: candidates)
            text += "<text class=\"sector-label\" x=\"\(number(place.x))\" y=\"\(number(place.y))\" "
            text += "text-anchor=\"\(place.anchor)\">"
            for (index, line) in lines.enumerated() {
                text += index == 0 ? escape(line) : "<tspan x=\"\(number(place.x))\" dy=\"14\">\(escape(line))</tspan>"
            }
            text += "</text>"
        }
        for incident in content.incidents {
            let (x, y) = projection.point(incident.position)
            svg += "<path class=\"incident \(incident.severity)\" d=\"\(warning(x, y))\"><title>"
            svg += escape(incident.title) + "</title></path>"
        }
        // Labels last, above every shape.
        svg += text
        svg += scaleBar(projection, content)
        svg += northArrow(content.north)
        svg += legend(content.legend)
        return svg + "</svg>"
    }

    /// A bar of a round distance at the bottom left, with its length written.
    private static func scaleBar(_ projection: MapProjection, _ content: MapContent) -> String {
        let bar = projection.scaleBar(longest: width / 4)
        let y = height - 16
        return """
            <g class="scale-bar"><path d="M16,\(number(y - 5))V\(number(y))H\(number(16 + bar.units))V\(number(y - 5))" \
            fill="none"/><text x="16" y="\(number(y - 8))">\(escape(content.distance(bar.metres)))</text></g>
            """
    }

    private static func northArrow(_ letter: String) -> String {
        let x = width - 24
        return """
            <g class="north-arrow"><path d="M\(number(x)),12L\(number(x + 8)),36L\(number(x)),30L\(number(x - 8)),36Z"/>\
            <text x="\(number(x))" y="50" text-anchor="middle">\(escape(letter))</text></g>
            """
    }

    /// Each party's hatching, no control, each corridor status, a checkpoint and a
    /// reception point, with their words, right of the map.
    private static func legend(_ legend: MapContent.Legend) -> String {
        var y = 24.0
        let x = width + 12
        var svg = "<g class=\"legend\"><text class=\"legend-title\" x=\"\(number(x))\" y=\"\(number(y))\">"
        svg += escape(legend.title) + "</text>"
        // A row: its swatch, drawn about the middle of the text's first line, then the
        // text, on as many lines as it needs (SVG text does not wrap by itself).
        func row(_ label: String, _ swatch: (_ middle: Double) -> String) {
            y += 22
            svg += swatch(y - 4)
            let lines = wrapped(label, width: legendCharacters)
            svg += "<text x=\"\(number(x + 30))\" y=\"\(number(y))\">"
            if lines.count == 1 {
                svg += escape(label)
            } else {
                for (i, line) in lines.enumerated() {
                    svg += "<tspan x=\"\(number(x + 30))\" dy=\"\(i == 0 ? 0 : 15)\">\(escape(line))</tspan>"
                }
            }
            svg += "</text>"
            y += Double(lines.count - 1) * 15
        }
        let left = number(x)
        for (i, party) in legend.parties.enumerated() {
            row(party) {
                "<rect class=\"sector\" x=\"\(left)\" y=\"\(number($0 - 7))\" width=\"22\" height=\"14\" fill=\"url(#hatch-\(i))\"/>"
            }
        }
        row(legend.noParty) {
            "<rect class=\"sector\" x=\"\(left)\" y=\"\(number($0 - 7))\" width=\"22\" height=\"14\" fill=\"none\"/>"
        }
        for state in CorridorStatus.State.allCases {
            row(legend.states[state] ?? state.rawValue) {
                "<path class=\"corridor corridor-\(state.rawValue)\" d=\"M\(left),\(number($0))h22\" fill=\"none\"/>"
            }
        }
        row(legend.checkpoint) {
            "<rect class=\"checkpoint\" x=\"\(number(x + 6))\" y=\"\(number($0 - 5))\" width=\"10\" height=\"10\"/>"
        }
        row(legend.reception) { "<circle class=\"reception\" cx=\"\(number(x + 11))\" cy=\"\(number($0))\" r=\"6\"/>" }
        row(legend.incident) { "<path class=\"incident\" d=\"\(warning(x + 11, $0))\"/>" }
        return svg + "</g>"
    }

    /// About as many characters as the legend's text fits on a line.
    static let legendCharacters = 32

    /// `text` cut at spaces into lines of at most `width` characters (a longer word
    /// stands on a line of its own).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + (line.isEmpty ? [] : [line])
    }

    /// A warning triangle centred on (x, y).
    static func warning(_ x: Double, _ y: Double) -> String {
        "M\(number(x)),\(number(y - 8))L\(number(x + 8)),\(number(y + 6))L\(number(x - 8)),\(number(y + 6))Z"
    }

    /// The mean of a ring's distinct positions: inside any sector a city draws.
    static func centroid(_ ring: [Position]) -> Position {
        let points = ring.count > 1 && ring.first == ring.last ? Array(ring.dropLast()) : ring
        let n = Double(max(points.count, 1))
        return Position(
            longitude: points.map(\.longitude).reduce(0, +) / n, latitude: points.map(\.latitude).reduce(0, +) / n)
    }

    /// A coordinate with at most one decimal: a tenth of a unit is finer than a pixel.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        XMLText.escaped(text)
    }
}
