import CouloirDemo
import CouloirDomain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The plan's forms from outside: a sector, a corridor with its checkpoint and a pause
/// made and edited in the browser, each refusal told beside its field, a stale edit
/// explained, and nothing offered to whoever may not change the plan.
@Suite("Plan forms")
struct PlanFormsTests {
    static let base = "/operations/\(WebPagesTests.operation)"
    static let demo = DemoScenario.aleppo2016()

    static func html(_ response: TestResponse) -> String { String(buffer: response.body) }

    /// The errors a refused form lists, for a failure's message.
    static func errors(_ response: TestResponse) -> [String] {
        html(response).matches(of: /<p class="error" id="([^"]+)">([^<]*)</).map { "\($0.1): \($0.2)" }
            + html(response).matches(of: /<li><a href="#error-summary">([^<]*)</).map { String($0.1) }
    }

    @Test func aSectorIsAddedEditedAndChangesHands() async throws {
        try await withSessions { client, store, _, _ in
            let (observer, observerCSRF, _) = try await AdminPagesTests.signedIn(
                .observer, client: client, store: store)
            #expect(
                try await WebPagesTests.get(client, Self.base + "/sectors/new", cookie: observer).status == .forbidden)
            let refused = try await AdminPagesTests.post(
                client, Self.base + "/sectors", cookie: observer, [("csrf", observerCSRF), ("name", "X")])
            #expect(refused.status == .forbidden, "an observer adds no sector")
            let home = Self.html(try await WebPagesTests.get(client, Self.base, cookie: observer))
            #expect(!home.contains("/sectors/new"), "nor is offered to")

            let (cookie, csrf, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            #expect(Self.html(try await WebPagesTests.get(client, Self.base, cookie: cookie)).contains("/sectors/new"))
            let bad = try await AdminPagesTests.post(
                client, Self.base + "/sectors", cookie: cookie,
                [
                    ("csrf", csrf), ("name", "Bustan al-Qasr"), ("boundary", "37.13 36.18\nnorth"),
                    ("population/value", "900"),
                ])
            #expect(bad.status == .unprocessableContent)
            let badPage = Self.html(bad)
            #expect(badPage.contains(#"id="field-boundary-error""#), "an unreadable boundary is told beside it")
            #expect(badPage.contains(#"id="field-population-low-error""#), "a population needs its range")
            #expect(badPage.contains("37.13 36.18\nnorth"), "what was typed is kept")
            let triangle = try await AdminPagesTests.post(
                client, Self.base + "/sectors", cookie: cookie,
                [("csrf", csrf), ("name", "Bustan al-Qasr"), ("boundary", "37.13, 36.18\n37.14, 36.18\n37.14, 36.18")])
            #expect(triangle.status == .unprocessableContent, "a ring of two distinct positions is refused")
            #expect(Self.html(triangle).contains(#"id="field-boundary-error""#), "beside the boundary")
            let made = try await AdminPagesTests.post(
                client, Self.base + "/sectors", cookie: cookie,
                [
                    ("csrf", csrf), ("name", "Bustan al-Qasr"), ("pcode", "C1007"),
                    ("boundary", "37.13, 36.18\n37.15, 36.18\n37.15, 36.19\n37.13, 36.19"),
                    ("population/value", "900"), ("population/low", "700"), ("population/high", "1200"),
                    ("population/asOf", "2016-10-18"), ("population/source/name", "OCHA"),
                    ("population/source/kind", "agency"),
                ])
            #expect(made.status == .seeOther)
            let page = try #require(made.headers[.location])
            let shown = Self.html(try await WebPagesTests.get(client, page, cookie: cookie))
            #expect(shown.contains("Bustan al-Qasr") && shown.contains("C1007") && shown.contains("1,200"))
            let edit = Self.html(try await WebPagesTests.get(client, page + "/edit", cookie: cookie))
            #expect(edit.contains("37.13, 36.18\n37.15, 36.18"), "the boundary is shown one position a line")

            let fields = [
                ("csrf", csrf), ("boundary", "37.13, 36.18\n37.15, 36.18\n37.15, 36.19\n37.13, 36.19"),
                ("version", "1"),
            ]
            #expect(
                try await AdminPagesTests.post(
                    client, page, cookie: cookie, fields + [("name", "Bustan al-Qasr (east)")]
                )
                .status == .seeOther)
            let stale = try await AdminPagesTests.post(client, page, cookie: cookie, fields + [("name", "Bustan 2")])
            #expect(stale.status == .preconditionFailed)
            #expect(Self.html(stale).contains(#"id="stale""#) && Self.html(stale).contains("Bustan 2"))
            #expect(Self.html(stale).contains(#"value="Bustan al-Qasr (east)""#))

            let party = Self.demo.parties[1]
            let noSource = try await AdminPagesTests.post(
                client, page + "/control", cookie: cookie,
                [("csrf", csrf), ("partyId", party.id.description), ("since", "2016-10-22T19:00"), ("version", "2")])
            #expect(noSource.status == .unprocessableContent)
            #expect(Self.html(noSource).contains(#"id="field-source-name-error""#))
            let changed = try await AdminPagesTests.post(
                client, page + "/control", cookie: cookie,
                [
                    ("csrf", csrf), ("partyId", party.id.description), ("since", "2016-10-22T19:00"),
                    ("source/name", "Reuters"), ("source/kind", "press"), ("version", "2"),
                ])
            #expect(changed.status == .seeOther)
            let after = Self.html(try await WebPagesTests.get(client, page, cookie: cookie))
            #expect(after.contains(party.name) && after.contains("Reuters"), "the sector page says who took it")
            #expect(
                try await WebPagesTests.get(client, page + "/control", cookie: observer).status == .forbidden)
        }
    }

    @Test func aCorridorIsOpenedWithACheckpointAndEdited() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, csrf, coordinator) = try await AdminPagesTests.signedIn(
                .coordinator, client: client, store: store)
            let origin = Self.demo.sectors[0]
            let empty = try await AdminPagesTests.post(
                client, Self.base + "/corridors", cookie: cookie,
                [
                    ("csrf", csrf), ("code", "C9"), ("name", "Castello road"),
                    ("originSectorId", origin.id.description),
                    ("route", "37.16, 36.23"), ("source/name", "UN OCHA"), ("source/kind", "agency"),
                ])
            #expect(empty.status == .unprocessableContent)
            let refusedPage = Self.html(empty)
            #expect(refusedPage.contains(#"id="field-route-error""#), "a route of one position is told beside it")
            #expect(refusedPage.contains(#"id="field-allowedGroups-error""#), "a corridor for nobody too")
            let made = try await AdminPagesTests.post(
                client, Self.base + "/corridors", cookie: cookie,
                [
                    ("csrf", csrf), ("code", "C9"), ("name", "Castello road"),
                    ("originSectorId", origin.id.description),
                    ("route", "37.16, 36.23\n37.17, 36.25"), ("allowedGroups", "civilians"),
                    ("allowedGroups", "sickAndWounded"), ("capacityPerHour", "300"), ("source/name", "UN OCHA"),
                    ("source/kind", "agency"),
                ])
            #expect(made.status == .seeOther, "\(Self.errors(made))")
            let page = try #require(made.headers[.location])
            let shown = Self.html(try await WebPagesTests.get(client, page, cookie: cookie))
            #expect(shown.contains("Castello road") && shown.contains("people an hour"))
            #expect(shown.contains(page + "/checkpoints/new"))

            let far = try await AdminPagesTests.post(
                client, page + "/checkpoints", cookie: cookie,
                [("csrf", csrf), ("name", "Castello roundabout"), ("longitude", "37.165"), ("latitude", "95")])
            #expect(far.status == .unprocessableContent)
            #expect(
                Self.html(far).contains(#"id="field-latitude-error""#),
                "a latitude past the pole is told beside it: \(Self.errors(far))")
            let added = try await AdminPagesTests.post(
                client, page + "/checkpoints", cookie: cookie,
                [
                    ("csrf", csrf), ("name", "Castello roundabout"), ("longitude", "37.165"), ("latitude", "36.24"),
                    ("monitorTeams", "SARC team 1\nUN team"),
                ])
            #expect(added.status == .seeOther)
            let withCheckpoint = Self.html(try await WebPagesTests.get(client, page, cookie: cookie))
            #expect(withCheckpoint.contains("Castello roundabout") && withCheckpoint.contains("SARC team 1, UN team"))
            let edit = try #require(withCheckpoint.firstMatch(of: /href="([^"]+\/checkpoints\/[^"\/]+\/edit)"/)).1
            let editPage = Self.html(try await WebPagesTests.get(client, String(edit), cookie: cookie))
            #expect(editPage.contains(#"value="36.24""#))
            let action = String(edit.dropLast("/edit".count))
            let renamed = try await AdminPagesTests.post(
                client, action, cookie: cookie,
                [
                    ("csrf", csrf), ("name", "Castello gate"), ("longitude", "37.165"), ("latitude", "36.24"),
                    ("version", "1"),
                ])
            #expect(renamed.status == .seeOther)
            #expect(Self.html(try await WebPagesTests.get(client, page, cookie: cookie)).contains("Castello gate"))
            let tallies = Self.html(
                try await WebPagesTests.get(client, action + "/tallies", cookie: cookie))
            #expect(
                tallies.contains(#"id="history-heading""#) && tallies.contains(coordinator.login)
                    && tallies.contains("changed"), "the checkpoint's page says who changed it")

            let (observer, _, _) = try await AdminPagesTests.signedIn(.observer, client: client, store: store)
            let seen = Self.html(try await WebPagesTests.get(client, page, cookie: observer))
            #expect(!seen.contains("/checkpoints/new") && !seen.contains(String(edit)), "an observer edits nothing")
            #expect(try await WebPagesTests.get(client, String(edit), cookie: observer).status == .forbidden)
        }
    }

    @Test func aPauseIsProposedAndItsTermsEditedUntilItIsInForce() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, csrf, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            let corridor = Self.demo.corridors[0]
            let party = Self.demo.parties[0]
            let terms = [
                ("csrf", csrf), ("name", "Second pause"), ("proposedAt", "2016-11-01T09:00"),
                ("daily/0/firstDay", "2016-11-04"), ("daily/0/lastDay", "2016-11-05"), ("daily/0/opens", "09:00"),
                ("daily/0/closes", "19:00"), ("corridorIds", corridor.id.description),
                ("conditions", "No heavy weapons\nAmbulances pass first"),
                ("guarantees/0/partyId", party.id.description),
                ("guarantees/0/stance", "acknowledged"), ("guarantees/0/statement", "We will hold fire"),
                ("guarantees/0/at", "2016-11-02T12:00"), ("guarantees/0/source/name", "Ministry"),
                ("guarantees/0/source/kind", "party"), ("source/name", "UN OCHA"), ("source/kind", "agency"),
            ]
            let inverted = try await AdminPagesTests.post(
                client, Self.base + "/pauses", cookie: cookie,
                terms + [("fixed/0/start", "2016-11-04T09:00"), ("fixed/0/end", "2016-11-03T09:00")])
            #expect(inverted.status == .unprocessableContent)
            #expect(
                Self.html(inverted).contains(#"id="field-fixed-0-end-error""#), "an inverted window, beside its end")
            let made = try await AdminPagesTests.post(
                client, Self.base + "/pauses", cookie: cookie,
                terms + [("fixed/0/start", "2016-11-04T07:00"), ("fixed/0/end", "2016-11-04T08:30")])
            #expect(made.status == .seeOther)
            let page = try #require(made.headers[.location])
            let shown = Self.html(try await WebPagesTests.get(client, page, cookie: cookie))
            #expect(shown.contains("Ambulances pass first") && shown.contains("We will hold fire"))
            #expect(shown.contains(page + "/edit"), "its terms are offered for editing while proposed")
            let edit = Self.html(try await WebPagesTests.get(client, page + "/edit", cookie: cookie))
            #expect(edit.contains(#"name="daily/0/opens" value="09:00""#), "the stored hours are shown")
            #expect(edit.contains(#"name="fixed/1/start""#), "with a blank row to add a window")

            let revised = terms.filter { $0.0 != "name" && $0.0 != "proposedAt" } + [("version", "1")]
            let saved = try await AdminPagesTests.post(
                client, page, cookie: cookie, revised + [("name", "Second pause, revised")])
            #expect(saved.status == .seeOther)
            let stale = try await AdminPagesTests.post(client, page, cookie: cookie, revised + [("name", "Other")])
            #expect(stale.status == .preconditionFailed)

            let demoPause = Self.demo.pauses[0]
            let fixed = try await WebPagesTests.get(
                client, Self.base + "/pauses/\(demoPause.id)/edit", cookie: cookie)
            #expect(Self.html(fixed).contains("its terms are fixed"), "a pause that was in force keeps its terms")
            let (observer, _, _) = try await AdminPagesTests.signedIn(.observer, client: client, store: store)
            #expect(
                try await WebPagesTests.get(client, Self.base + "/pauses/new", cookie: observer).status == .forbidden)
        }
    }
}

/// The lists page with the JSON API's signed cursors, so that a page's link is never a
/// key a client could forge, and the tallies page's cursor reads in the API.
@Suite("Paging of the lists")
struct ListPagingTests {
    @Test func theTalliesPagesCursorIsTheAPIsAndAForgedOneIsRefused() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, _, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            let checkpoint = try #require(PlanFormsTests.demo.corridors[0].checkpoints.first)
            // More than a page of them: 60 hours more, after the demo's.
            let start = try #require(UTCText.date("2016-11-01T00:00:00Z"))
            for hour in 0..<60 {
                _ = try await store.submit(
                    Tally(
                        operationID: WebPagesTests.operation, checkpointID: checkpoint.id,
                        interval: Interval(
                            start: start.addingTimeInterval(Double(hour) * 3600),
                            end: start.addingTimeInterval(Double(hour + 1) * 3600)),
                        direction: .outbound, counts: [GroupCount(group: .civilians, people: hour + 1)],
                        source: Source(name: "SARC team 1", kind: .monitor)))
            }
            let first = PlanFormsTests.html(
                try await WebPagesTests.get(
                    client, PlanFormsTests.base + "/checkpoints/\(checkpoint.id)/tallies", cookie: cookie))
            let link = try #require(first.firstMatch(of: /href="([^"]+)" rel="next"/), "\(first.count) bytes").1
                .replacingOccurrences(of: "&amp;", with: "&")
            let cursor = try #require(link.firstMatch(of: /cursor=([^&]+)/)).1
            #expect(!link.contains("after="), "no key of the page's own")
            let second = try await WebPagesTests.get(client, String(link), cookie: cookie)
            #expect(second.status == .ok)
            let ids = { (html: String) in html.matches(of: /<td><code>([0-9a-f]{8})<\/code>/).map { String($0.1) } }
            let (firstIDs, secondIDs) = (ids(first), ids(PlanFormsTests.html(second)))
            #expect(firstIDs.count == 50 && !secondIDs.isEmpty && Set(firstIDs).isDisjoint(with: secondIDs))

            let api = try await WebPagesTests.get(
                client,
                "/api/v1/operations/\(WebPagesTests.operation)/tallies?checkpointId=\(checkpoint.id)&limit=50&cursor=\(cursor)",
                cookie: cookie)
            #expect(api.status == .ok, "the API reads the page's cursor")
            let items = try JSONDecoder().decode(TallyIDs.self, from: Data(buffer: api.body)).items
            #expect(items.map { String($0.id.prefix(8)) } == secondIDs, "and hands out the same next page")

            for forged in ["abc", "eyJsaXN0IjoidGFsbGllcyIsImtleSI6WyIxIl19.AAAA"] {
                let refused = try await WebPagesTests.get(
                    client, PlanFormsTests.base + "/checkpoints/\(checkpoint.id)/tallies?cursor=\(forged)",
                    cookie: cookie)
                #expect(refused.status == .badRequest, "a cursor the server did not hand out: \(forged)")
            }
        }
    }

    @Test func anIncidentsCursorFromTheAPIsOldestFirstListIsNotTheNewestFirstPages() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, _, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            var second = try #require(PlanFormsTests.demo.incidents.first { $0.operationID == WebPagesTests.operation })
            second.id = Incident.ID()
            try await store.insert(second)
            let api = try await WebPagesTests.get(
                client, "/api/v1/operations/\(WebPagesTests.operation)/incidents?limit=1", cookie: cookie)
            let cursor = try #require(
                try JSONDecoder().decode(TallyIDs.self, from: Data(buffer: api.body)).nextCursor,
                "\(api.status) \(String(buffer: api.body).prefix(300))")
            let page = try await WebPagesTests.get(
                client, PlanFormsTests.base + "/incidents?cursor=\(WebPagesTests.encode(cursor))",
                cookie: cookie)
            #expect(page.status == .badRequest, "a cursor belongs to its list and order")
        }
    }

    struct TallyIDs: Decodable {
        struct Item: Decodable { var id: String }
        var items: [Item]
        var nextCursor: String?
    }
}

/// The dashboard from outside: its map colours each corridor as the API's status says
/// at the instant shown, inside a window of the pause and during its suspension.
@Suite("The dashboard page")
struct DashboardPageTests {
    struct Listed: Decodable {
        struct Item: Decodable {
            struct Status: Decodable { var state: String }
            var code: String
            var status: Status
        }
        var items: [Item]
    }

    @Test(arguments: ["2016-10-20T10:00", "2016-10-21T12:00", "2016-10-23T10:00"])
    func theMapColoursTheCorridorsAsTheAPISays(at local: String) async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, _, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            let page = try await WebPagesTests.get(
                client, PlanFormsTests.base + "/dashboard?at=\(local)", cookie: cookie)
            #expect(page.status == .ok)
            let html = PlanFormsTests.html(page)
            let api = try await WebPagesTests.get(
                client,
                "/api/v1/operations/\(WebPagesTests.operation)/corridors?at=\(WebPagesTests.encode(local + ":00+03:00"))",
                cookie: cookie)
            let listed = try JSONDecoder().decode(Listed.self, from: Data(buffer: api.body)).items
            #expect(listed.count == 8, "the demo's corridors")
            let drawn = Dictionary(
                html.matches(of: #/<path class="corridor corridor-(\w+)" d="M[^"]+" fill="none"><title>([^<]+) · /#)
                    .map { (String($0.2), String($0.1)) }, uniquingKeysWith: { first, _ in first })
            for corridor in listed {
                #expect(drawn[corridor.code] == corridor.status.state, "\(corridor.code) at \(local)")
            }
            #expect(html.contains("<svg") && html.contains("Progress by sector"))
            // During the suspension the pause may resume: its windows are not said to be gone.
            if local == "2016-10-21T12:00" {
                #expect(html.contains("The pause is suspended: if it resumes"))
            }
            #expect(html.components(separatedBy: #"<h3 class="chart-title">"#).count == 4, "three charts, titled")
            for chart in ["chart-flow", "chart-cumulative", "chart-remaining"] {
                #expect(html.contains(#"<title id="\#(chart)-title">"#), "the \(chart) chart at \(local)")
            }
        }
    }

    /// The protection figures add up the demo's tallies at each corridor's counting
    /// checkpoint, day by day in the operation's time zone, up to the instant shown.
    @Test func theProtectionFiguresAddUpTheTalliesOfEachDay() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, _, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            let html = PlanFormsTests.html(
                try await WebPagesTests.get(
                    client, PlanFormsTests.base + "/dashboard?at=2016-10-22T18:00", cookie: cookie))
            let section = try #require(
                html.firstMatch(of: /id="protection-heading".*?<\/section>/.dotMatchesNewlines()))
            let rows = String(section.0).matches(
                of: /<tr><th scope="row"><bdi>([^<]+)<\/bdi><\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/
            )
            .map { (String($0.1), String($0.2).matches(of: /<td>([^<]*)<\/td>/).map { Int($0.1.filter(\.isNumber))! }) }
            let demo = PlanFormsTests.demo
            let operation = try #require(demo.operations.first { $0.id == WebPagesTests.operation })
            let counting = Set(
                demo.corridors.filter { $0.operationID == operation.id }.compactMap(\.checkpoints.first?.id))
            let until = try #require(UTCText.date("2016-10-22T15:00:00Z"))
            let clock = ZonedClock(operation.timeZone)
            var people: [LocalDate: Int] = [:]
            var unaccompanied: [LocalDate: Int] = [:]
            for tally in demo.tallies
            where counting.contains(tally.checkpointID) && tally.direction == .outbound && tally.interval.end <= until {
                let day = clock.localDate(of: tally.interval.start)
                people[day, default: 0] += tally.people
                unaccompanied[day, default: 0] += tally.protectionCounts[.unaccompaniedChildren] ?? 0
            }
            let days = people.keys.sorted()
            #expect(days.count == 3, "the pause's three days")
            // The first table: one row a day; people out first, unaccompanied children tenth.
            let byDay = rows.prefix(days.count)
            #expect(byDay.map { $0.1[0] } == days.map { people[$0]! })
            #expect(byDay.map { $0.1[9] } == days.map { unaccompanied[$0]! })
            // The second: the last day, corridor by corridor, adds up to that day's row.
            let lastDay = rows.dropFirst(days.count)
            #expect(!lastDay.isEmpty && lastDay.reduce(0) { $0 + $1.1[0] } == people[days.last!]!)
            #expect(section.0.contains("Protection figures") && !section.0.contains("<script"))
        }
    }
}
