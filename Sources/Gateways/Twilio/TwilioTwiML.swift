import HTTPServer

/// A TwiML document (https://www.twilio.com/docs/voice/twiml), built verb by verb. Every text and
/// URL is XML-escaped: alert titles come from outside and must not become markup.
struct TwilioTwiML {
    private var verbs: [String] = []
    let language: String

    init(language: String) {
        self.language = language
    }

    mutating func say(_ text: String) {
        verbs.append(#"<Say language="\#(Self.escape(language))">\#(Self.escape(text))</Say>"#)
    }

    /// One key, read while `prompt` plays; with no key Twilio falls through to the next verb.
    mutating func gather(action: String, timeout: Int, prompt: String) {
        verbs.append(#"<Gather input="dtmf" numDigits="1" timeout="\#(timeout)" action="\#(Self.escape(action))" method="POST">"#
            + #"<Say language="\#(Self.escape(language))">\#(Self.escape(prompt))</Say></Gather>"#)
    }

    mutating func redirect(_ url: String) {
        verbs.append(#"<Redirect method="POST">\#(Self.escape(url))</Redirect>"#)
    }

    mutating func hangup() {
        verbs.append("<Hangup/>")
    }

    /// An SMS reply to an inbound message.
    mutating func message(_ text: String) {
        verbs.append("<Message>\(Self.escape(text))</Message>")
    }

    var document: String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + (verbs.isEmpty ? "<Response/>" : "<Response>" + verbs.joined() + "</Response>")
    }

    var response: HTTPResponse {
        HTTPResponse(status: .ok, contentType: "text/xml; charset=utf-8", body: Array(document.utf8))
    }

    static func escape(_ text: String) -> String { MarkupEscaping.xml(text) }
}
