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
        #expect(svg.contains(#"<text class="corridor-label" x="320" y="234" text-anchor="middle">C1</text>"#))
        #expect(svg.contains(#"<text class="sector-label" x="320" y="240" text-anchor="middle">Square</text>"#))
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
}
