/// Bounds a pipeline file's text must keep before Yams composes it. Yams builds its tree recursively, one stack
/// frame per nesting level, so 10 KB of `[[[[…` or `{a: {a: …` overflows the stack and kills the process; aliases
/// (`*name`) can make a small text stand for an exponentially large tree. A pipeline needs none of that: its
/// deepest structure is `variants → name → id → key`, so these limits are far above any real file. The depth and
/// value counts come from libyaml's event stream (`YAMLShape`), which is iterative and exact.
public struct DocumentLimits: Sendable {
    /// The largest file accepted, in bytes.
    public var maxBytes = 1 << 20
    /// The deepest nesting of mappings and lists.
    public var maxDepth = 32
    /// The most values (scalars, lists and mappings) in the document, counting what each alias expands to.
    public var maxValues = 100_000
    /// The most nodes under `nodes:` (checked once the text is parsed, which the value bound keeps cheap).
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
        guard let excess = YAMLShape.check(text, maxDepth: maxDepth, maxValues: maxValues) else { return nil }
        return Diagnostic(SourceLocation(file: file, line: excess.line, column: excess.column), excess.message)
    }
}
