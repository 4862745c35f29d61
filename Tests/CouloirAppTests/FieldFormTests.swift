import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The field form's page, its offline assets and the places a device counts at.
@Suite("Field form")
struct FieldFormTests {
    struct Places: Decodable {
        struct Operation: Decodable {
            let id: String
            let checkpoints: [Checkpoint]
        }
        struct Checkpoint: Decodable {
            let id: String
            let corridor: String
            let groups: [String]
        }
        let operations: [Operation]
    }

    @Test func theFormAndItsServiceWorkerAreServedToAnyoneThePlacesOnlyForAToken() async throws {
        try await withDemoServer { client, store in
            let page = try await client.execute(uri: "/field/", method: .get, headers: [.acceptLanguage: "ar"]) { $0 }
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"dir="rtl""#))
            #expect(html.contains(#"<link rel="manifest" href="/field/manifest.webmanifest">"#))
            #expect(page.headers[.contentSecurityPolicy]?.contains("worker-src 'self'") == true)
            let worker = try await client.execute(uri: "/field/sw.js", method: .get) { $0 }
            #expect(worker.status == .ok)
            #expect(worker.headers[.contentType] == "text/javascript; charset=utf-8")

            var stranger = HTTPFields()
            stranger[.authorization] = "Bearer couloir_unknown"
            let refused = try await client.execute(uri: "/field/places", method: .get, headers: stranger) { $0 }
            #expect(refused.status == .unauthorized)

            let (secret, _) = try await AccessRoutesTests().token(.monitor, in: store)
            var device = HTTPFields()
            device[.authorization] = "Bearer \(secret)"
            let answer = try await client.execute(uri: "/field/places", method: .get, headers: device) { $0 }
            #expect(answer.status == .ok)
            let places = try JSONDecoder().decode(Places.self, from: answer.body)
            #expect(places.operations.map(\.id) == [AccessRoutesTests.aleppo.id.description])
            let checkpoints = places.operations.flatMap(\.checkpoints)
            #expect(checkpoints.map(\.id) == [TallyRoutesTests.checkpoint])
            #expect(checkpoints.first?.groups == ["civilians", "sickAndWounded"])
        }
    }

    @Test func aRoleThatDoesNotCountHasNoPlaces() async throws {
        try await withDemoServer { client, store in
            let (secret, _) = try await AccessRoutesTests().token(.partyLiaison, in: store)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(secret)"
            let answer = try await client.execute(uri: "/field/places", method: .get, headers: headers) { $0 }
            #expect(try JSONDecoder().decode(Places.self, from: answer.body).operations.isEmpty)
        }
    }
}
