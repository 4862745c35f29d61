import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML document read into elements, for instances small enough to hold (a tally is a
/// few kilobytes). Namespaces are dropped from names: an instance's fields are plain.
/// External entities are never resolved.
final class XMLElementNode {
    let name: String
    let attributes: [String: String]
    private(set) var children: [XMLElementNode] = []
    fileprivate(set) var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// The first child named `name`.
    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Every child named `name`, in order.
    func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The trimmed text of the child at `path`; `nil` when absent or empty.
    func value(_ path: String...) -> String? {
        var node: XMLElementNode? = self
        for name in path { node = node?.child(name) }
        let text = node?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? nil : text
    }

    fileprivate func append(_ child: XMLElementNode) { children.append(child) }

    /// The root element of `data`; `nil` when it is not well-formed XML, declares a
    /// document type or nests deeper than `maximumDepth`.
    static func parse(_ data: Data, maximumDepth: Int = 16) -> XMLElementNode? {
        // UTF-8 only, as Collect writes it: in another encoding (UTF-16, with or without
        // a byte order mark) the refusal of a document type below would see nothing.
        // UTF-16 without a mark is valid UTF-8 but for its NULs, which XML never holds.
        guard !data.contains(0), String(validating: data, as: UTF8.self) != nil else { return nil }
        if let declaration = String(decoding: data.prefix(200), as: UTF8.self).firstMatch(of: /<\?xml[^>]*\?>/),
            let encoding = declaration.output.firstMatch(of: /encoding\s*=\s*["']([^"']*)["']/),
            !["utf-8", "utf8"].contains(encoding.output.1.lowercased())
        {
            return nil
        }
        // An instance never declares a document type: entities (a billion laughs, a file
        // named by a URL) are refused before the parser sees them.
        guard data.range(of: Data("<!DOCTYPE".utf8)) == nil, data.range(of: Data("<!ENTITY".utf8)) == nil else {
            return nil
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let builder = Builder(maximumDepth: maximumDepth)
        parser.delegate = builder
        guard parser.parse(), !builder.failed, builder.stack.isEmpty else { return nil }
        return builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        let maximumDepth: Int
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var failed = false

        init(maximumDepth: Int) { self.maximumDepth = maximumDepth }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            guard stack.count < maximumDepth, root == nil || !stack.isEmpty else {
                failed = true
                parser.abortParsing()
                return
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLElementNode(name: local, attributes: attributeDict)
            if let parent = stack.last { parent.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            stack.last?.text += String(decoding: block, as: UTF8.self)
        }
    }
}
