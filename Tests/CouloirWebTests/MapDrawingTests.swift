import CouloirDemo
import CouloirDomain
import Foundation
import Testing

@testable import CouloirWeb

/// The map drawn on known inputs: where a square sector and a straight corridor land,
/// that a degree east is shortened by the latitude's cosine, the scale bar's length,
/// and that every record's text is escaped.
@Suite("The dashboard's map")
struct MapDrawingTests {
    static func content(
        areas: [MapContent.Area] = [], routes: [MapContent.Route] = [], markers: [MapContent.Marker] = []
    ) -> MapContent {
        var content = MapContent(
            title: "Map", description: "A test map",
            legend: .init(
                title: "Legend", parties: ["Party A", "Party B"], noParty: "None",
                states: [.open: "open", .closed: "closed", .blocked: "blocked"], checkpoint: "Checkpoint",
                reception: "Reception", incident: "Incident"),
            distance: { "\(Int($0)) m" }, north: "N")
        content.areas = areas
        content.routes = routes
        content.markers = markers
        return content
    }

    static let square = [
        Position(longitude: 0, latitude: 0), Position(longitude: 1, latitude: 0), Position(longitude: 1, latitude: 1),
        Position(longitude: 0, latitude: 1), Position(longitude: 0, latitude: 0),
    ]

    @Test func aSquareSectorAndAStraightCorridorLandWhereTheProjectionPutsThem() {
        let svg = MapDrawing.svg(
            Self.content(
                areas: [.init(name: "Square", rings: [Self.square], party: 1)],
                routes: [
                    .init(
                        code: "C1",
                        positions: [Position(longitude: 0, latitude: 0), Position(longitude: 1, latitude: 1)],
                        state: .open, reception: "West")
                ],
                markers: [
                    .init(name: "Gate: 12 people", position: Position(longitude: 0.5, latitude: 0.5), label: "12")
                ]))
        // 432 units a degree (the box is 480 high, less two margins of 24), centred across.
        #expect(svg.contains(#"<path class="sector" d="M104,456L536,456L536,24L104,24L104,456Z" fill="url(#hatch-1)""#))
        #expect(svg.contains(#"<path class="corridor corridor-open" d="M104,456L536,24" fill="none">"#))
        #expect(svg.contains(#"<circle class="reception" cx="536" cy="24" r="6"><title>West</title>"#))
        #expect(
            svg.contains(
                #"<rect class="checkpoint" x="315" y="235" width="10" height="10"><title>Gate: 12 people</title>"#))
        // The sector's name, the corridor's code and the checkpoint's count all want the
        // middle: each gets a place of its own, none over another or over the marker.
        let labels = Self.labels(in: svg)
        #expect(Set(labels.map(\.text)) == ["Square", "C1", "12"])
        #expect(labels.first { $0.text == "Square" }?.place.x == 320, "the sector's name stays at its middle")
        Self.expectNoOverlap(labels)
        #expect(svg.contains(#"role="img" aria-labelledby="map-title map-desc""#))
        var withIncident = Self.content(areas: [.init(name: "Square", rings: [Self.square], party: nil)])
        withIncident.incidents = [
            .init(title: "Obstruction", position: Position(longitude: 0.25, latitude: 0.75), severity: "severity-high")
        ]
        #expect(
            MapDrawing.svg(withIncident).contains(
                #"<path class="incident severity-high" d="M212,124L220,138L204,138Z"><title>Obstruction</title>"#),
            "an incident is a warning sign where it happened")
        #expect(svg.contains(#"<title id="map-title">Map</title><desc id="map-desc">A test map</desc>"#))
    }

    @Test func aDegreeEastIsShortenedByTheCosineOfTheLatitude() {
        let north = Self.square.map { Position(longitude: $0.longitude, latitude: $0.latitude + 59.5) }
        let projection = MapProjection(fitting: north, width: 640, height: 480, margin: 24)
        let (west, _) = projection.point(north[0])
        let (east, _) = projection.point(north[1])
        let (_, bottom) = projection.point(north[0])
        let (_, top) = projection.point(north[2])
        #expect(abs((east - west) / (bottom - top) - cos(60 * Double.pi / 180)) < 0.001)
    }

    @Test func aLongLegendLabelWrapsOnLinesOfItsOwnAndTheNextRowMovesDown() throws {
        var content = Self.content()
        content.legend.parties = ["International Committee of the Red Cross and its partners"]
        let svg = MapDrawing.svg(content)
        let label = try #require(
            svg.firstMatch(of: /<text x="([\d.]+)" y="([\d.]+)">((?:<tspan[^>]*>[^<]*<\/tspan>)+)<\/text>/))
        let lines = String(label.3).matches(of: /<tspan[^>]*>([^<]*)<\/tspan>/).map { String($0.1) }
        #expect(lines == ["International Committee of the", "Red Cross and its partners"])
        #expect(lines.allSatisfy { $0.count <= MapDrawing.legendCharacters })
        // The row after it ("None") starts one extra line lower than a one-line row would.
        let first = try #require(Double(label.2))
        let next = svg.firstMatch(of: /<text x="[\d.]+" y="([\d.]+)">None<\/text>/).flatMap { Double($0.1) }
        #expect(next == first + 22 + 15)
        #expect(MapDrawing.wrapped("Open", width: 32) == ["Open"])
        #expect(MapDrawing.wrapped("", width: 32) == [])
    }

    @Test func theScaleBarIsARoundDistanceOfTheRightLength() {
        let projection = MapProjection(fitting: Self.square, width: 640, height: 480, margin: 24)
        let bar = projection.scaleBar(longest: 160)
        // 160 units are 41 km at 432 units a degree: the bar is 20 km.
        #expect(bar.metres == 20_000)
        #expect(abs(bar.units - 20_000 * 432 / MapProjection.metresPerDegree) < 0.001)
        let svg = MapDrawing.svg(Self.content(areas: [.init(name: "Square", rings: [Self.square], party: nil)]))
        #expect(svg.contains("<text x=\"16\" y=\"456\">20000 m</text>"))
    }

    @Test func eachStatusHasItsOwnStyleAndEveryTextIsEscaped() {
        let route = { (state: CorridorStatus.State) in
            MapContent.Route(
                code: "<C&\(state.rawValue)>",
                positions: [Position(longitude: 0, latitude: 0), Position(longitude: 0.1, latitude: 0.1)],
                state: state, reception: nil)
        }
        let svg = MapDrawing.svg(
            Self.content(
                areas: [.init(name: "\"Old\" <City>", rings: [Self.square], party: nil)],
                routes: CorridorStatus.State.allCases.map(route)))
        for state in CorridorStatus.State.allCases {
            #expect(svg.contains("corridor corridor-\(state.rawValue)\" d=\"M"))
            #expect(svg.contains("&lt;C&amp;\(state.rawValue)&gt;"))
        }
        #expect(svg.contains("&quot;Old&quot; &lt;City&gt;") && !svg.contains("<City>"))
        #expect(svg.contains(#"fill="none" fill-rule="evenodd""#), "a sector nobody controls is not filled")
        #expect(svg.contains(#"<pattern id="hatch-0""#) && svg.contains(#"<pattern id="hatch-1""#))
    }

    static func labels(in svg: String) -> [(text: String, place: LabelPlacement.Place)] {
        svg.matches(
            of:
                /<text class="(?:sector|corridor|checkpoint)-label" x="([-\d.]+)" y="([-\d.]+)" text-anchor="(\w+)">([^<]*)<\/text>/
        )
        .map { (String($0.4), LabelPlacement.Place(x: Double($0.1)!, y: Double($0.2)!, anchor: String($0.3))) }
    }

    static func expectNoOverlap(_ labels: [(text: String, place: LabelPlacement.Place)]) {
        for (i, a) in labels.enumerated() {
            for b in labels[(i + 1)...] {
                #expect(
                    !LabelPlacement.box(a.text, at: a.place).overlaps(LabelPlacement.box(b.text, at: b.place)),
                    "\(a.text) and \(b.text) print over each other")
            }
        }
    }

    /// The demo's north, where corridors F2, C3 and C2 meet the sectors' names: drawn
    /// from the demo itself, no label prints over another.
    @Test func theDemosLabelsPrintOverNoOther() {
        let demo = DemoScenario.aleppo2016()
        let operation = demo.operations[0].id
        var content = Self.content(
            areas: demo.sectors.filter { $0.operationID == operation }.map { sector in
                .init(name: sector.name, rings: [sector.boundary.exterior], party: nil)
            },
            routes: demo.corridors.filter { $0.operationID == operation }.map {
                .init(code: $0.code, positions: $0.route.positions, state: .open, reception: nil)
            },
            markers: demo.corridors.filter { $0.operationID == operation }.flatMap { corridor in
                corridor.checkpoints.map { .init(name: $0.name, position: $0.location.position, label: "123") }
            })
        content.incidents = []
        Self.expectNoOverlap(Self.labels(in: MapDrawing.svg(content)))
    }
}
