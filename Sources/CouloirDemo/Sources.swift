import CouloirDomain

/// The sources the demo quotes.
enum DemoSources {
    static let octoberReport =
        "Press agency report on the Aleppo humanitarian pause, October 2016 (shared/scenario/aleppo-2016-10-humanitarian-pause.txt)"
    static let decemberReport =
        "Press agency report, 10 December 2016 (shared/scenario/aleppo-2016-12-offensive-and-evacuation.txt)"

    static let konashenkovOctober = Source(
        name: "Russian Ministry of Defence, spokesperson Igor Konashenkov", kind: .party, reference: octoberReport)
    static let rudskoyOctober = Source(
        name: "Russian General Staff, Sergei Rudskoy, head of the main operational directorate", kind: .party,
        reference: octoberReport)
    static let konashenkovDecember = Source(
        name: "Russian Ministry of Defence, spokesperson Igor Konashenkov", kind: .party, reference: decemberReport)
    static let syrianArmyDecember = Source(
        name: "Syrian army, as reported by press agencies", kind: .party, reference: decemberReport)
    static let sohrDecember = Source(
        name: "Syrian Observatory for Human Rights (OSDH)", kind: .press, reference: decemberReport)

    /// For what the reports do not say and the demo had to make up.
    static func illustrative(_ name: String) -> Source {
        Source(name: name, kind: .coordinator, reference: "Couloir demo data, made up", illustrative: true)
    }
}
