public import Foundation

/// Whether a corridor could be used at an instant, and why.
public struct CorridorStatus: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// A pause covering the corridor is active and one of its windows is running.
        case open
        /// No covering pause is in force, or a coordinator closed it.
        case closed
        /// A coordinator reports the route physically blocked.
        case blocked
    }

    public enum Reason: Hashable, Sendable, Codable {
        /// A window of an active pause is running.
        case window(pauseID: Pause.ID, pauseName: String, span: Interval)
        /// A covering pause exists but was not active at the instant (proposed, agreed,
        /// suspended, ended or cancelled).
        case pauseNotActive(pauseID: Pause.ID, pauseName: String, state: PauseState)
        /// A covering pause was active, but between its windows.
        case outsideWindows(pauseID: Pause.ID, pauseName: String)
        /// No pause covers the corridor.
        case noPause
        /// A coordinator's override applies.
        case override(StatusOverride)
    }

    public var state: State
    public var at: Date
    public var reason: Reason

    public init(state: State, at: Date, reason: Reason) {
        self.state = state
        self.at = at
        self.reason = reason
    }

    /// The status of `corridor` at `instant`, from the pauses of its operation and its
    /// overrides. An override wins over any pause, and blocked wins over closed.
    public static func of(
        _ corridor: Corridor, at instant: Date, pauses: [Pause], clock: ZonedClock
    ) -> CorridorStatus {
        let overrides = corridor.overrides.filter { $0.applies(at: instant) }
        if let override = overrides.first(where: { $0.state == .blocked }) ?? overrides.last {
            return CorridorStatus(
                state: override.state == .blocked ? .blocked : .closed, at: instant, reason: .override(override))
        }
        let covering = pauses.filter { $0.corridorIDs.contains(corridor.id) }
        for pause in covering {
            if let span = pause.runningWindow(at: instant, in: clock) {
                return CorridorStatus(
                    state: .open, at: instant, reason: .window(pauseID: pause.id, pauseName: pause.name, span: span))
            }
        }
        // Explain the closure by the pause that came nearest to opening the corridor.
        if let active = covering.first(where: { $0.state(at: instant) == .active }) {
            return CorridorStatus(
                state: .closed, at: instant, reason: .outsideWindows(pauseID: active.id, pauseName: active.name))
        }
        if let latest = covering.filter({ $0.proposedAt <= instant }).max(by: { $0.proposedAt < $1.proposedAt }) {
            return CorridorStatus(
                state: .closed, at: instant,
                reason: .pauseNotActive(pauseID: latest.id, pauseName: latest.name, state: latest.state(at: instant)))
        }
        return CorridorStatus(state: .closed, at: instant, reason: .noPause)
    }

    /// The reason in words, for people reading a list or a report.
    public var explanation: String {
        switch reason {
        case .window(_, let name, let span):
            "window of '\(name)' running \(span)"
        case .pauseNotActive(_, let name, let state):
            "'\(name)' is \(state.rawValue)"
        case .outsideWindows(_, let name):
            "'\(name)' is active but none of its windows is running"
        case .noPause:
            "no pause covers this corridor"
        case .override(let override):
            "\(override.state.rawValue) by a coordinator: \(override.reason)"
        }
    }
}
