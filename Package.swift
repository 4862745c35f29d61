// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Couloir",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "couloir", targets: ["couloir"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        // The concepts of the product brief: pure values, rules and computations, no I/O.
        .target(
            name: "CouloirDomain",
            swiftSettings: strictSettings
        ),
        // The Aleppo 2016 demo scenario as domain values.
        .target(
            name: "CouloirDemo",
            dependencies: ["CouloirDomain"],
            swiftSettings: strictSettings
        ),
        // The demo scenario written into a database, with its organisations, users and a
        // phone's token: what `couloir demo`, the bench and the tests start from.
        .target(
            name: "CouloirDemoSetup",
            dependencies: [
                "CouloirAccess",
                "CouloirCore",
                "CouloirDemo",
                "CouloirDomain",
                "CouloirStorage",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The audit log's entries, Merkle tree (RFC 9162), signed tree heads and
        // verification: pure values and hashing, no I/O.
        .target(
            name: "CouloirAudit",
            dependencies: ["CouloirDomain", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Passwords (bcrypt, off the request executor), token secrets, the list of common
        // passwords.
        .target(
            name: "CouloirAccess",
            dependencies: [
                "CouloirDomain",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: strictSettings
        ),
        // What storage offers, as the core and the faces see it: repository protocols,
        // their value types and errors. No SQL.
        .target(
            name: "CouloirStorage",
            dependencies: ["CouloirDomain", "CouloirAudit"],
            swiftSettings: strictSettings
        ),
        // The repositories on SQLKit, one implementation for SQLite and PostgreSQL: the pool,
        // numbered migrations, the audit log's writes.
        .target(
            name: "CouloirSQLStorage",
            dependencies: [
                "CouloirDomain",
                "CouloirAudit",
                "CouloirStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Every action the product offers, once for every face: access decided from the
        // policy, the reads the decision needs, the version check, then storage.
        .target(
            name: "CouloirCore",
            dependencies: [
                "CouloirAccess", "CouloirDomain", "CouloirStorage", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The JSON API: handlers for the server stubs generated from openapi.yaml.
        .target(
            name: "CouloirAPI",
            dependencies: [
                "CouloirCore",
                "CouloirDomain",
                "CouloirStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // ODK Collect and KoboCollect's face: OpenRosa form list and submissions.
        .target(
            name: "CouloirOpenRosa",
            dependencies: [
                "CouloirCore",
                "CouloirDomain",
                "CouloirStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/tally.xform.xml")],
            swiftSettings: strictSettings
        ),
        // Configuration, wiring and the HTTP application.
        .target(
            name: "CouloirWeb",
            dependencies: [
                "CouloirCore",
                "CouloirDomain",
                "CouloirStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("Templates"), .copy("Messages"), .copy("Static")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CouloirApp",
            dependencies: [
                "CouloirDomain",
                "CouloirAccess",
                "CouloirAudit",
                "CouloirStorage",
                "CouloirAPI",
                "CouloirCore",
                "CouloirSQLStorage",
                "CouloirWeb",
                "CouloirOpenRosa",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `couloir bench`: ingest, latency and figures against floors measured in the same run.
        .target(
            name: "CouloirBench",
            dependencies: [
                "CouloirDomain",
                "CouloirAccess",
                "CouloirAudit",
                "CouloirStorage",
                "CouloirDemo",
                "CouloirCore",
                "CouloirDemoSetup",
                "CouloirSQLStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "couloir",
            dependencies: [
                "CouloirApp",
                "CouloirAudit",
                "CouloirAccess",
                "CouloirCore",
                "CouloirDomain",
                "CouloirDemo",
                "CouloirDemoSetup",
                "CouloirSQLStorage",
                "CouloirStorage",
                "CouloirBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirDomainTests",
            dependencies: ["CouloirDomain", "CouloirDemo"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirWebTests",
            dependencies: ["CouloirWeb", "CouloirDomain", "CouloirDemo"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirAccessTests",
            dependencies: [
                "CouloirAccess", "CouloirDomain",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirAuditTests",
            dependencies: ["CouloirAudit", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirStorageTests",
            dependencies: [
                "CouloirDomain", "CouloirStorage", "CouloirSQLStorage", "CouloirDemo", "CouloirAudit",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirBenchTests",
            dependencies: [
                "CouloirBench",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CouloirAppTests",
            dependencies: [
                "CouloirAccess",
                "CouloirApp",
                "CouloirAPI",
                "CouloirAudit",
                "CouloirCore",
                "CouloirDemo",
                "CouloirDemoSetup",
                "CouloirDomain",
                "CouloirSQLStorage",
                "CouloirStorage",
                "CouloirWeb",
                "CouloirOpenRosa",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
