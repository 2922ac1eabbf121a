import Foundation
import XCTest

/// The documentation's examples work as written. From README.md and docs/*.md:
/// - every ```yaml block with a top-level `nodes:` key (a pipeline) must pass `stain validate`;
/// - every ```sh / ```bash block is run, command by command, and each command must exit 0.
///
/// Both run in a scratch folder that looks like the repository root to the commands — `samples/`, `pipelines/`,
/// `models/`, `recipes/` and `docs/` link to the real ones, `stain` is on PATH and `.build/release/stain` and
/// `.build/debug/stain` are the binary under test — so `out/...` and the other outputs land in the scratch
/// folder, never in the repository.
///
/// A shell block may hold only `stain` commands. A block that cannot run here (it installs packages, trains for
/// minutes, needs weight files or a slide of the reader's own) says so with a marker on the line before it:
/// `<!-- docs-test: skip (the reason) -->`. There is no other way to leave a block out, and a marker without a
/// reason fails the test.
final class DocsTests: CLITestCase {
    struct CodeBlock {
        /// The Markdown file, relative to the repository root.
        let file: String
        /// 1-based line of the opening fence.
        let line: Int
        let language: String
        let text: String
        /// The reason given by a `docs-test: skip` marker, if the block has one.
        let skipReason: String?

        var location: String { "\(file):\(line)" }
    }

    /// README.md and docs/*.md.
    func documents() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        return ["README.md"] + docs
    }

    func blocks() throws -> [CodeBlock] {
        try documents().flatMap { file in
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            return try Self.codeBlocks(in: text, file: file)
        }
    }

    /// The fenced code blocks of a Markdown text, with the skip marker that precedes each (the nearest non-blank
    /// line above the fence). A `docs-test:` comment that is not a well-formed skip marker is an error.
    static func codeBlocks(in text: String, file: String) throws -> [CodeBlock] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [CodeBlock] = []
        var index = 0
        while index < lines.count {
            let fence = lines[index].trimmingCharacters(in: .whitespaces)
            guard fence.hasPrefix("```") else {
                index += 1
                continue
            }
            let indent = lines[index].prefix { $0 == " " }.count
            var body: [String] = []
            var end = index + 1
            while end < lines.count && !lines[end].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                body.append(String(lines[end].dropFirst(min(indent, lines[end].prefix { $0 == " " }.count))))
                end += 1
            }
            var above = index - 1
            while above >= 0 && lines[above].trimmingCharacters(in: .whitespaces).isEmpty { above -= 1 }
            let marker = above >= 0 ? try skipReason(lines[above], at: "\(file):\(above + 1)") : nil
            blocks.append(CodeBlock(file: file, line: index + 1,
                                    language: String(fence.dropFirst(3)).trimmingCharacters(in: .whitespaces).lowercased(),
                                    text: body.joined(separator: "\n"), skipReason: marker))
            index = end + 1
        }
        return blocks
    }

    struct MarkerError: Error, CustomStringConvertible {
        let description: String
    }

    /// The reason of a `<!-- docs-test: skip (reason) -->` line; nil for a line that is no marker.
    static func skipReason(_ line: String, at location: String) throws -> String? {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.contains("docs-test:") else { return nil }
        let prefix = "<!-- docs-test: skip (", suffix = ") -->"
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count > prefix.count + suffix.count else {
            throw MarkerError(description: "\(location): malformed marker '\(text)'; write <!-- docs-test: skip (reason) -->")
        }
        let reason = text.dropFirst(prefix.count).dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw MarkerError(description: "\(location): a skip marker needs a reason") }
        return reason
    }

    /// A shell block's commands: continuation lines (`\` at the end) joined, comments and blank lines dropped.
    static func commands(in script: String) -> [String] {
        var commands: [String] = []
        var pending = ""
        for line in script.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("\\") {
                pending += trimmed.dropLast().trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            let command = withoutComment(pending + trimmed).trimmingCharacters(in: .whitespaces)
            pending = ""
            if !command.isEmpty { commands.append(command) }
        }
        return commands
    }

    /// The command without a trailing `# comment` (a `#` at the start or after a blank, outside quotes).
    static func withoutComment(_ command: String) -> String {
        var quote: Character?
        var previous: Character = " "
        var result = ""
        for character in command {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#" && previous.isWhitespace {
                break
            }
            result.append(character)
            previous = character
        }
        return result
    }

    /// The scratch folder the examples run in (see the type's comment).
    func makeSandbox() throws {
        let manager = FileManager.default
        for name in ["samples", "pipelines", "models", "recipes", "docs"] {
            try manager.createSymbolicLink(at: folder.appendingPathComponent(name),
                                           withDestinationURL: repositoryRoot.appendingPathComponent(name))
        }
        for path in ["bin/stain", ".build/release/stain", ".build/debug/stain"] {
            let link = folder.appendingPathComponent(path)
            try manager.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.createSymbolicLink(at: link, withDestinationURL: stainBinary)
        }
    }

    /// Runs one command line with /bin/sh in the scratch folder; output goes to files (no pipe to fill up), and a
    /// command that runs past `timeout` seconds is stopped and fails.
    func shell(_ command: String, timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = folder.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let outURL = folder.appendingPathComponent(".docs-test.out"), errURL = folder.appendingPathComponent(".docs-test.err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return Result(status: -1, stdout: "", stderr: "timed out after \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    func testYAMLPipelineSnippetsValidate() throws {
        try makeSandbox()
        let pipelines = try blocks().filter { block in
            block.language == "yaml" && block.text.components(separatedBy: "\n").contains { $0.hasPrefix("nodes:") }
        }
        XCTAssertGreaterThan(pipelines.count, 0, "no pipeline snippets found: is the parser broken?")
        for block in pipelines where block.skipReason == nil {
            let name = block.location.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ":", with: "-") + ".yaml"
            try block.text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let r = try stain(["validate", name])
            XCTAssertEqual(r.status, 0, "\(block.location): the pipeline snippet does not validate:\n\(r.stderr)")
        }
    }

    func testShellExamplesRun() throws {
        try makeSandbox()
        let scripts = try blocks().filter { ["sh", "bash", "shell"].contains($0.language) }
        var ran = 0
        for block in scripts where block.skipReason == nil {
            for command in Self.commands(in: block.text) {
                let program = command.split(separator: " ").first.map(String.init) ?? ""
                guard ["stain", ".build/release/stain", ".build/debug/stain"].contains(program) else {
                    XCTFail("\(block.location): '\(command)' is not a stain command; run only stain here, or mark the "
                        + "block <!-- docs-test: skip (reason) -->")
                    continue
                }
                let r = try shell(command)
                XCTAssertEqual(r.status, 0, "\(block.location): '\(command)' failed:\n\(r.stderr)")
                ran += 1
            }
        }
        XCTAssertGreaterThan(ran, 0, "no shell example ran: is the parser broken?")
    }

    /// docs/architecture.md's worked example is the real `tissue-mask` node: its first Swift block is
    /// `Plugins/Enhancement/TissueMaskNode.swift` from the struct on, up to line breaks and the doc strings (which
    /// the page shortens), and its registration line is in the family's list.
    func testArchitectureExampleIsTheRealNode() throws {
        let page = try Self.codeBlocks(in: String(contentsOf: repositoryRoot.appendingPathComponent("docs/architecture.md"),
                                                  encoding: .utf8), file: "docs/architecture.md")
            .filter { $0.language == "swift" }
        XCTAssertEqual(page.count, 2, "the worked example's node and its registration line")
        guard page.count == 2 else { return }
        let node = try String(contentsOf: repositoryRoot.appendingPathComponent("Plugins/Enhancement/TissueMaskNode.swift"),
                              encoding: .utf8)
        XCTAssertTrue(try Self.comparable(node).contains(Self.comparable(page[0].text)),
                      "docs/architecture.md's example differs from TissueMaskNode.swift beyond its doc strings")
        let family = try String(contentsOf: repositoryRoot.appendingPathComponent("Plugins/Enhancement/EnhancementFamily.swift"),
                                encoding: .utf8)
        XCTAssertTrue(try Self.comparable(family).contains(Self.comparable(page[1].text)),
                      "the example's registration line is not in EnhancementFamily.swift")
    }

    /// Swift source without comment lines, line breaks, repeated spaces or the text of `doc:` strings.
    static func comparable(_ source: String) throws -> String {
        let code = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("//") }.joined(separator: " ")
        let docs = try NSRegularExpression(pattern: #"doc: "[^"]*"(\s*\+\s*"[^"]*")*"#)
        let undocumented = docs.stringByReplacingMatches(in: code, range: NSRange(code.startIndex..., in: code),
                                                          withTemplate: #"doc: """#)
        return undocumented.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
    }

    /// The parts the two tests above rely on, on inputs with a known answer.
    func testBlockParsing() throws {
        let markdown = """
            Text.
            ```sh
            stain run a.yaml \\
                --set x=1   # a comment
            # only a comment

            stain eval --pred "a #b"
            ```
            <!-- docs-test: skip (needs a slide) -->

            ```yaml
            nodes: {}
            ```
            """
        let found = try Self.codeBlocks(in: markdown, file: "x.md")
        XCTAssertEqual(found.map(\.language), ["sh", "yaml"])
        XCTAssertEqual(found.map(\.line), [2, 11])
        XCTAssertEqual(found.map(\.skipReason), [nil, "needs a slide"])
        XCTAssertEqual(Self.commands(in: found[0].text), ["stain run a.yaml --set x=1", "stain eval --pred \"a #b\""])
        XCTAssertThrowsError(try Self.codeBlocks(in: "<!-- docs-test: skip () -->\n```sh\nls\n```", file: "y.md"))
        XCTAssertThrowsError(try Self.codeBlocks(in: "<!-- docs-test: skipp (x) -->\n```sh\nls\n```", file: "y.md"))
    }
}
