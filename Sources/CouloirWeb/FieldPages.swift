import CouloirCore
import CouloirDomain
import Foundation
import HTTPTypes
import Hummingbird

/// The field form: an installable page that counts offline and sends its outbox to the
/// batch endpoint. The page is the same for every phone (the service worker keeps it);
/// what a phone may count is asked of `/field/places` with its device token, which the
/// phone holds from the link's fragment and never puts in a URL.
extension WebFace {
    func addFieldPages<Context: RequestContext>(to router: Router<Context>) {
        router.get("/field/") { request, _ in
            fieldPage(Visit(request, catalogues: pages.catalogues))
        }
        assets.add(to: router, name: "couloir-field-sw.js", at: "/field/sw.js")
        assets.add(to: router, name: "couloir-field.webmanifest", at: "/field/manifest.webmanifest")
        router.get("/field/places") { request, _ in
            guard let principal = try await deviceTokens(request.headers[.authorization]) else {
                var response = FieldPlaces.json(.unauthorized, ["error": "unknown or revoked token"])
                response.headers[.wwwAuthenticate] = #"Bearer realm="couloir""#
                return response
            }
            return FieldPlaces.json(.ok, FieldPlaces(try await core.countingPlaces(as: principal)))
        }
    }

    func fieldPage(_ visit: Visit) -> Response {
        let bands = [
            "female_children", "female_adults", "female_elderly", "male_children", "male_adults", "male_elderly",
        ]
        let groups = Group.allCases.map { group -> [String: Any] in
            [
                "code": group.rawValue, "name": Self.capitalised(visit.text("group.\(group.rawValue)")),
                "bands": bands.map { band -> [String: Any] in
                    ["id": "\(band)-\(group.rawValue)", "band": band, "label": visit.text("field.\(band)")]
                },
            ]
        }
        let vehicles = ["cars", "buses", "ambulances"].map { ["id": $0, "label": visit.text("field.\($0)")] }
        let keys = visit.catalogue.messages.keys.filter { $0.hasPrefix("field.") }.sorted()
        var texts = keys.map { ["key": String($0.dropFirst("field.".count)), "value": visit.text($0)] }
        for group in Group.allCases {
            texts.append(["key": "group_" + group.rawValue, "value": visit.text("group.\(group.rawValue)")])
        }
        for direction in Direction.allCases {
            texts.append([
                "key": "direction_" + direction.rawValue, "value": visit.text("direction.\(direction.rawValue)"),
            ])
        }
        texts.append(["key": "locale", "value": visit.language.rawValue])
        return pages.render(
            "field", title: visit.text("field.title"),
            view: ["groups": groups, "vehicles": vehicles, "texts": texts], visit: visit)
    }

    static func capitalised(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}

/// What `/field/places` answers: each operation the device counts in, with its
/// checkpoints and the groups each may count.
struct FieldPlaces: Encodable {
    struct Operation: Encodable {
        let id: String
        let name: String
        let checkpoints: [Checkpoint]
    }
    struct Checkpoint: Encodable {
        let id: String
        let name: String
        let corridor: String
        let groups: [String]
    }
    let operations: [Operation]

    init(_ places: [CountingPlaces]) {
        operations = places.map { place in
            Operation(
                id: place.operation.id.description, name: place.operation.name,
                checkpoints: place.corridors.flatMap { corridor in
                    corridor.checkpoints.map {
                        Checkpoint(
                            id: $0.id.description, name: $0.name, corridor: corridor.code,
                            groups: corridor.allowedGroups.sorted().map(\.rawValue))
                    }
                })
        }
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        let body = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
