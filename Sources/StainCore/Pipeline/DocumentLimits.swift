/// Bounds a pipeline file's text must keep before the YAML parser sees it. The parser (Yams/libyaml) recurses once
/// per nesting level, so 10 KB of `[[[[…` or `{a: {a: …` overflows the stack and kills the process; aliases
/// (`*name`) can make a small text stand for an exponentially large tree. A pipeline needs none of that: its
/// deepest structure is `nodes → id → key` (plus variants), so these limits are far above any real file.
public struct DocumentLimits: Sendable {
    /// The largest file accepted, in bytes.
    public var maxBytes = 1 << 20
    /// The deepest nesting of mappings and lists (block indentation, `- ` items and flow brackets together).
    public var maxDepth = 32
    /// The most alias uses (`*name`): with at most 32, the expanded tree stays below ~120 000 values.
    public var maxAliases = 32
    /// The most keys and list items in the whole text (counted as `key:` and `- ` / `,` separators).
    public var maxEntries = 100_000
    /// The most nodes under `nodes:` (checked once the text is parsed, which the entry bound keeps cheap).
    public var maxNodes = 10_000

    public init() {}

    public static let standard = DocumentLimits()

    /// The first limit `text` breaks, as a diagnostic at its line and column; nil when the text is within bounds.
    public func check(_ text: String, file: String) -> Diagnostic? {
        let bytes = text.utf8.count
        if bytes > maxBytes {
            return Diagnostic(SourceLocation(file: file, line: 1, column: 1),
                              "the pipeline file is \(bytes) bytes; the limit is \(maxBytes) (\(maxBytes >> 10) KiB)")
        }
        var scanner = Scanner(limits: self, file: file)
        return scanner.scan(text)
    }

    /// A line-by-line scan that tracks quotes, comments, block scalars, indentation, `- ` items and flow brackets:
    /// enough YAML to measure depth, aliases and entries without building anything.
    private struct Scanner {
        let limits: DocumentLimits
        let file: String
        var indents: [Int] = []            // open block levels (indentation of each)
        var flowDepth = 0                  // open [ and { across lines
        var quote: Character?              // inside a quoted scalar that may span lines
        var blockScalarIndent: Int?        // inside a | or > scalar started at this indentation
        var aliases = 0
        var entries = 0

        init(limits: DocumentLimits, file: String) {
            self.limits = limits
            self.file = file
        }

        func fail(_ line: Int, _ column: Int, _ message: String) -> Diagnostic {
            Diagnostic(SourceLocation(file: file, line: line, column: column), message)
        }

        mutating func scan(_ text: String) -> Diagnostic? {
            var lineNumber = 0
            for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let line = Array(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
                let indent = line.prefix { $0 == " " }.count
                let content = line.dropFirst(indent)
                if let scalarIndent = blockScalarIndent {
                    if content.isEmpty || indent > scalarIndent { continue }
                    blockScalarIndent = nil
                }
                if quote == nil && flowDepth == 0 {
                    if content.isEmpty || content.first == "#" { continue }
                    if content.starts(with: Array("---")) || content.starts(with: Array("...")) { continue }
                    while let last = indents.last, last >= indent { indents.removeLast() }
                    indents.append(indent)
                    if let problem = checkDepth(dashes: 0, lineNumber, indent + 1) { return problem }
                }
                if let problem = scanContent(line, from: indent, lineNumber: lineNumber) { return problem }
            }
            return nil
        }

        /// Walks one line's characters from `start`; reports the first limit passed.
        mutating func scanContent(_ line: [Character], from start: Int, lineNumber: Int) -> Diagnostic? {
            var i = start
            var dashes = 0
            var atItemStart = quote == nil && flowDepth == 0
            var lastSignificant: Character?
            var lastSignificantIndex = start
            while i < line.count {
                let c = line[i]
                let previous: Character? = i > 0 ? line[i - 1] : nil
                let next: Character? = i + 1 < line.count ? line[i + 1] : nil
                if let open = quote {
                    if open == "\"" && c == "\\" { i += 2; continue }
                    if c == open {
                        if open == "'" && next == "'" { i += 2; continue }
                        quote = nil
                        lastSignificant = c
                        lastSignificantIndex = i
                    }
                    i += 1
                    continue
                }
                let startsToken = previous == nil || previous == " " || previous == "\t" || previous == "["
                    || previous == "{" || previous == "," || i == start
                if c == "#" && (previous == nil || previous == " " || previous == "\t") { break }
                if atItemStart && (c == "-" || c == "?") && (next == nil || next == " ") {
                    dashes += 1
                    entries += 1
                    if let problem = checkDepth(dashes: dashes, lineNumber, i + 1) { return problem }
                    i += 1
                    continue
                }
                if c != " " && c != "\t" { atItemStart = false }
                switch c {
                case "\"", "'" where startsToken:
                    quote = c
                case "[", "{":
                    flowDepth += 1
                    if let problem = checkDepth(dashes: dashes, lineNumber, i + 1) { return problem }
                case "]", "}":
                    flowDepth = max(0, flowDepth - 1)
                case ",":
                    entries += 1
                case ":" where next == nil || next == " " || next == "\t" || (flowDepth > 0 && (next == "," || next == "]" || next == "}")):
                    entries += 1
                case "*" where startsToken:
                    aliases += 1
                    if aliases > limits.maxAliases {
                        return fail(lineNumber, i + 1, "more than \(limits.maxAliases) YAML aliases (*name); "
                            + "a pipeline file may use at most \(limits.maxAliases)")
                    }
                default: break
                }
                if entries > limits.maxEntries {
                    return fail(lineNumber, i + 1, "more than \(limits.maxEntries) keys and list items; "
                        + "a pipeline file may hold at most \(limits.maxEntries)")
                }
                if c != " " && c != "\t" {
                    lastSignificant = c
                    lastSignificantIndex = i
                }
                i += 1
            }
            // `key: |` or `key: >-` starts a block scalar: the more-indented lines after it are text, not structure.
            if quote == nil && flowDepth == 0, let last = lastSignificant {
                var j = lastSignificantIndex
                var indicator = last
                while "+-0123456789".contains(indicator) && j > start {
                    j -= 1
                    indicator = line[j]
                }
                if (indicator == "|" || indicator == ">") && (j == start || line[j - 1] == " ") {
                    blockScalarIndent = line.prefix { $0 == " " }.count
                }
            }
            return nil
        }

        func checkDepth(dashes: Int, _ line: Int, _ column: Int) -> Diagnostic? {
            let depth = indents.count + dashes + flowDepth
            guard depth > limits.maxDepth else { return nil }
            return fail(line, column, "lists and mappings nested \(depth) deep; a pipeline file may nest at most "
                + "\(limits.maxDepth) levels (a pipeline needs 4)")
        }
    }
}
