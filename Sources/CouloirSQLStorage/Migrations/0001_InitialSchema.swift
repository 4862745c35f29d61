import CouloirStorage

extension Migration {
    /// Operations and everything that belongs to them. Instants are milliseconds since
    /// 1970 (UTC) in BIGINT columns, the same on both dialects and cheap to bucket; ids
    /// are lower-case UUID text; nested values (GeoJSON, windows, sources) are JSON text.
    /// Every record that can change has a `version`, raised by one at each change, for
    /// optimistic concurrency (ETag / If-Match).
    static let initialSchema = Migration(version: 1, name: "initial schema") { dialect in
        [
            """
            CREATE TABLE operations (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                area TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                languages TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            """
            CREATE TABLE parties (
                id TEXT PRIMARY KEY,
                operation_id TEXT NOT NULL REFERENCES operations (id),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX parties_by_operation ON parties (operation_id)",
            """
            CREATE TABLE sectors (
                id TEXT PRIMARY KEY,
                operation_id TEXT NOT NULL REFERENCES operations (id),
                name TEXT NOT NULL,
                pcode TEXT,
                boundary TEXT NOT NULL,
                population TEXT,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX sectors_by_operation ON sectors (operation_id)",
            """
            CREATE TABLE sector_control (
                sector_id TEXT NOT NULL REFERENCES sectors (id),
                since BIGINT NOT NULL,
                party_id TEXT NOT NULL REFERENCES parties (id),
                source TEXT NOT NULL,
                PRIMARY KEY (sector_id, since)
            )
            """,
            """
            CREATE TABLE corridors (
                id TEXT PRIMARY KEY,
                operation_id TEXT NOT NULL REFERENCES operations (id),
                code TEXT NOT NULL,
                name TEXT NOT NULL,
                origin_sector_id TEXT NOT NULL REFERENCES sectors (id),
                destination_sector_id TEXT REFERENCES sectors (id),
                destination TEXT,
                route TEXT NOT NULL,
                allowed_groups TEXT NOT NULL,
                capacity_per_hour BIGINT,
                source TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1,
                UNIQUE (operation_id, code)
            )
            """,
            """
            CREATE TABLE checkpoints (
                id TEXT PRIMARY KEY,
                corridor_id TEXT NOT NULL REFERENCES corridors (id),
                operation_id TEXT NOT NULL REFERENCES operations (id),
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                location TEXT NOT NULL,
                monitor_teams TEXT NOT NULL,
                UNIQUE (corridor_id, position)
            )
            """,
            "CREATE INDEX checkpoints_by_operation ON checkpoints (operation_id)",
            """
            CREATE TABLE corridor_overrides (
                corridor_id TEXT NOT NULL REFERENCES corridors (id),
                seq INTEGER NOT NULL,
                state TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                ends_at BIGINT,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (corridor_id, seq)
            )
            """,
            """
            CREATE TABLE pauses (
                id TEXT PRIMARY KEY,
                operation_id TEXT NOT NULL REFERENCES operations (id),
                name TEXT NOT NULL,
                windows TEXT NOT NULL,
                sector_ids TEXT NOT NULL,
                corridor_ids TEXT NOT NULL,
                conditions TEXT NOT NULL,
                guarantees TEXT NOT NULL,
                proposed_at BIGINT NOT NULL,
                source TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX pauses_by_operation ON pauses (operation_id)",
            """
            CREATE TABLE pause_transitions (
                pause_id TEXT NOT NULL REFERENCES pauses (id),
                seq INTEGER NOT NULL,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (pause_id, seq)
            )
            """,
            """
            CREATE TABLE tallies (
                seq \(dialect.serialKey),
                operation_id TEXT NOT NULL REFERENCES operations (id),
                id TEXT NOT NULL,
                checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
                starts_at BIGINT NOT NULL,
                ends_at BIGINT NOT NULL,
                direction TEXT NOT NULL,
                cars INTEGER NOT NULL,
                buses INTEGER NOT NULL,
                ambulances INTEGER NOT NULL,
                supersedes TEXT,
                source TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                UNIQUE (operation_id, id)
            )
            """,
            "CREATE INDEX tallies_by_checkpoint ON tallies (operation_id, checkpoint_id, starts_at)",
            """
            CREATE TABLE tally_counts (
                tally_seq BIGINT NOT NULL REFERENCES tallies (seq),
                grp TEXT NOT NULL,
                people INTEGER NOT NULL,
                female_children INTEGER,
                female_adults INTEGER,
                female_elderly INTEGER,
                male_children INTEGER,
                male_adults INTEGER,
                male_elderly INTEGER,
                unaccompanied_children INTEGER,
                PRIMARY KEY (tally_seq, grp)
            )
            """,
            """
            CREATE TABLE incidents (
                id TEXT PRIMARY KEY,
                operation_id TEXT NOT NULL REFERENCES operations (id),
                kind TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                time_precision TEXT NOT NULL,
                place TEXT NOT NULL,
                place_precision TEXT NOT NULL,
                severity TEXT NOT NULL,
                summary TEXT NOT NULL,
                killed INTEGER,
                injured INTEGER,
                reported_by TEXT NOT NULL,
                source TEXT NOT NULL,
                verification TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX incidents_by_time ON incidents (operation_id, occurred_at)",
            """
            CREATE TABLE claims (
                id TEXT PRIMARY KEY,
                operation_id TEXT NOT NULL REFERENCES operations (id),
                kind TEXT NOT NULL,
                value DOUBLE PRECISION,
                statement TEXT NOT NULL,
                translation TEXT,
                made_at BIGINT NOT NULL,
                party_id TEXT REFERENCES parties (id),
                source TEXT NOT NULL,
                verification TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX claims_by_time ON claims (operation_id, made_at)",
        ]
    }
}
