import CouloirDomain

/// The body of every answer to a submission (OpenRosa Form Submission API): a message
/// ODK Collect and KoboCollect show the monitor as it is, success or refusal.
public struct OpenRosaResponse: Sendable, Hashable {
    public enum Nature: String, Sendable {
        case success = "submit_success"
        case error
    }

    public var nature: Nature
    public var message: String

    public init(_ nature: Nature, _ message: String) {
        self.nature = nature
        self.message = message
    }

    public var xml: String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            + #"<OpenRosaResponse xmlns="http://openrosa.org/http/response" items="0">"#
            + #"<message nature="\#(nature.rawValue)">\#(XMLText.escaped(message))</message>"#
            + "</OpenRosaResponse>\n"
    }
}
