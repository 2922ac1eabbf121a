import CYaml

/// The shape of a YAML text — nesting depth, and the number of values once aliases are expanded — measured from
/// libyaml's event stream. libyaml parses iteratively and builds nothing, so this is safe on any text; Yams then
/// composes a tree recursively (one stack frame per level), which only bounded texts may reach.
enum YAMLShape {
    /// What the walk found first: a limit passed (1-based line and column), or nothing (the text is within the
    /// limits, or has a syntax error that Yams will report at the same place).
    struct Excess {
        let line: Int
        let column: Int
        let message: String
    }

    static func check(_ text: String, maxDepth: Int, maxValues: Int) -> Excess? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Excess? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var walk = Walk(maxDepth: maxDepth, maxValues: maxValues)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let excess = walk.take(&event) { return excess }
            }
        }
    }

    /// Open collections with the values counted inside each, and the expanded size of every anchored node.
    private struct Walk {
        let maxDepth: Int
        let maxValues: Int
        var open: [(anchor: String?, values: Int)] = []
        var anchors: [String: Int] = [:]
        var total = 0

        init(maxDepth: Int, maxValues: Int) {
            self.maxDepth = maxDepth
            self.maxValues = maxValues
        }

        mutating func take(_ event: inout yaml_event_t) -> Excess? {
            let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? Self.text(event.data.sequence_start.anchor) : Self.text(event.data.mapping_start.anchor)
                open.append((anchor, 1))
                if open.count > maxDepth {
                    return Excess(line: line, column: column, message: "lists and mappings nested \(open.count) deep; "
                        + "a pipeline file may nest at most \(maxDepth) levels (a pipeline needs 4)")
                }
                return nil
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = open.popLast() else { return nil }
                return add(done.values, anchor: done.anchor, line, column)
            case YAML_SCALAR_EVENT:
                return add(1, anchor: Self.text(event.data.scalar.anchor), line, column)
            case YAML_ALIAS_EVENT:
                let name = Self.text(event.data.alias.anchor) ?? ""
                return add(anchors[name] ?? 1, anchor: nil, line, column)
            default:
                return nil
            }
        }

        /// Counts a finished node of `size` values into its parent (or the document) and remembers its anchor.
        mutating func add(_ size: Int, anchor: String?, _ line: Int, _ column: Int) -> Excess? {
            if let anchor { anchors[anchor] = size }
            if open.isEmpty { total += size } else { open[open.count - 1].values += size }
            let counted = total + open.reduce(0) { $0 + $1.values }
            guard counted > maxValues else { return nil }
            return Excess(line: line, column: column, message: "more than \(maxValues) values (keys, items and "
                + "what aliases expand to); a pipeline file may hold at most \(maxValues)")
        }

        static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
