import Foundation
import StainCore
import Yams

/// A recipe that failed to parse or validate, with every problem found (`file:line:col: key 'k': message`).
public struct RecipeInvalid: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads a recipe file and `--set section.key=value` overrides into a `Recipe`, checking every key against
/// `RecipeField.table`: unknown keys (with a suggestion), keys the recipe kind does not use, wrong types and
/// ranges, missing required keys and missing files or folders are all reported together.
public enum RecipeParser {
    /// Parses `path`; `overrides` are `section.key=value` strings from the command line.
    public static func load(path: String, overrides: [String] = []) throws -> Recipe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecipeInvalid([Diagnostic(SourceLocation(file: path, line: 0, column: 0), "cannot read the recipe file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RecipeInvalid([Diagnostic(SourceLocation(file: path, line: 0, column: 0), "the recipe is not UTF-8 text")])
        }
        return try parse(text, file: path, overrides: overrides)
    }

    /// A scalar as written, with its position.
    struct Written {
        var text: String
        var location: SourceLocation
    }

    /// Parses recipe text; `file` names it in messages and anchors relative paths.
    public static func parse(_ text: String, file: String, overrides: [String] = []) throws -> Recipe {
        var problems: [Diagnostic] = []
        let fileStart = SourceLocation(file: file, line: 1, column: 1)
        func at(_ node: Node) -> SourceLocation {
            SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        }
        // The pipeline files' limits (size, nesting, values with aliases expanded), checked before Yams builds
        // a tree: deep nesting would otherwise overflow the stack.
        if let excess = DocumentLimits.standard.check(text, file: file) { throw RecipeInvalid([excess]) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _) {
            throw RecipeInvalid([Diagnostic(SourceLocation(file: file, line: mark.line, column: mark.column),
                                            "YAML syntax error: \(problem)")])
        } catch {
            throw RecipeInvalid([Diagnostic(fileStart, "YAML syntax error: \(error)")])
        }
        guard let root, let top = root.mapping else {
            throw RecipeInvalid([Diagnostic(fileStart, "a recipe is a YAML mapping with 'recipe:' and sections "
                                            + RecipeField.sections.joined(separator: ", "))])
        }

        // Collect every written scalar by its dotted key.
        var written: [String: Written] = [:]
        var kindText: Written?
        var description = ""
        for (keyNode, valueNode) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "recipe":
                kindText = Written(text: valueNode.string ?? "", location: at(valueNode))
            case "description":
                description = valueNode.string ?? ""
            case _ where RecipeField.sections.contains(key):
                guard let section = valueNode.mapping else {
                    problems.append(Diagnostic(at(valueNode), key: key, "a section is a mapping of keys to values"))
                    continue
                }
                for (nameNode, value) in section {
                    let name = nameNode.string ?? ""
                    guard let scalar = value.scalar else {
                        problems.append(Diagnostic(at(value), key: "\(key).\(name)", "expected a single value"))
                        continue
                    }
                    written["\(key).\(name)"] = Written(text: scalar.string, location: at(nameNode))
                }
            default:
                let suggestion = Spelling.closest(to: key, in: ["recipe", "description"] + RecipeField.sections)
                problems.append(Diagnostic(at(keyNode), key: key,
                                           "unknown section" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")))
            }
        }
        for override in overrides {
            guard let eq = override.firstIndex(of: "="), override[..<eq].contains(".") else {
                problems.append(Diagnostic(.commandLine(override), "expected --set section.key=value"))
                continue
            }
            written[String(override[..<eq])] = Written(text: String(override[override.index(after: eq)...]),
                                                       location: .commandLine(override))
        }

        guard let kindText else {
            problems.append(Diagnostic(fileStart, key: "recipe", "missing 'recipe:' (one of "
                                       + Recipe.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
            throw RecipeInvalid(problems)
        }
        guard let kind = Recipe.Kind(rawValue: kindText.text) else {
            let suggestion = Spelling.closest(to: kindText.text, in: Recipe.Kind.allCases.map(\.rawValue))
            problems.append(Diagnostic(kindText.location, key: "recipe", "unknown recipe kind '\(kindText.text)'"
                                       + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")))
            throw RecipeInvalid(problems)
        }

        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        var recipe = Recipe.defaults(file: file, kind: kind, description: description)
        let known = Dictionary(uniqueKeysWithValues: RecipeField.table.map { ($0.key, $0) })
        for (key, value) in written.sorted(by: { $0.key < $1.key }) {
            guard let field = known[key] else {
                let suggestion = Spelling.closest(to: key, in: RecipeField.table.filter { $0.kinds.contains(kind) }.map(\.key))
                problems.append(Diagnostic(value.location, key: key, "unknown key"
                                           + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")))
                continue
            }
            guard field.kinds.contains(kind) else {
                problems.append(Diagnostic(value.location, key: key, "not used by a '\(kind.rawValue)' recipe"))
                continue
            }
            switch parseValue(value.text, field.type, base: base) {
            case .success(let parsed):
                field.apply(&recipe, parsed)
                recipe.locations[key] = value.location
            case .failure(let problem): problems.append(Diagnostic(value.location, key: key, problem.message))
            }
        }
        for field in RecipeField.table where field.isRequired && field.kinds.contains(kind) && written[field.key] == nil {
            problems.append(Diagnostic(fileStart, key: field.key, "missing required key (\(field.doc))"))
        }
        let crossLocation = written["data.crop"]?.location ?? fileStart
        if recipe.crop % 8 != 0 {
            problems.append(Diagnostic(crossLocation, key: "data.crop", "must be a multiple of 8 (or 0), got \(recipe.crop)"))
        }
        if recipe.decayAfter >= recipe.epochs, let at = written["schedule.decay-after"]?.location {
            problems.append(Diagnostic(at, key: "schedule.decay-after",
                                       "must be below schedule.epochs (\(recipe.epochs)) for the decay to happen"))
        }
        if !problems.isEmpty { throw RecipeInvalid(problems) }
        recipe.text = text
        recipe.overrides = overrides
        return recipe
    }

    static func parseValue(_ text: String, _ type: RecipeField.ValueType, base: URL)
        -> Result<RecipeField.Value, ParameterProblem> {
        switch type {
        case .int(let range):
            guard let v = Int(text) else { return .failure(ParameterProblem("expected an integer, got '\(text)'")) }
            guard range.contains(v) else {
                return .failure(ParameterProblem("\(v) is outside \(range.lowerBound)…\(range.upperBound)"))
            }
            return .success(.int(v))
        case .float(let range):
            guard let v = Double(text), v.isFinite else {
                return .failure(ParameterProblem("expected a number, got '\(text)'"))
            }
            guard range.contains(v) else {
                return .failure(ParameterProblem("\(v) is outside \(range.lowerBound)…\(range.upperBound)"))
            }
            return .success(.float(v))
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": return .success(.bool(true))
            case "false", "no", "off": return .success(.bool(false))
            default: return .failure(ParameterProblem("expected true or false, got '\(text)'"))
            }
        case .string:
            return .success(.string(text))
        case .choice(let choices):
            guard choices.contains(text) else {
                let suggestion = Spelling.closest(to: text, in: choices)
                return .failure(ParameterProblem("'\(text)' is not one of \(choices.joined(separator: ", "))"
                                                 + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")))
            }
            return .success(.string(text))
        case .path(let folder):
            if text.isEmpty { return .success(.string("")) }
            let resolved = text.hasPrefix("/") ? text : base.appendingPathComponent(text).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
                return .failure(ParameterProblem("missing \(folder ? "folder" : "file") '\(resolved)'"))
            }
            guard isDirectory.boolValue == folder else {
                return .failure(ParameterProblem("'\(resolved)' is \(folder ? "a file, not a folder" : "a folder, not a file")"))
            }
            return .success(.string(resolved))
        }
    }
}

extension Recipe {
    /// A recipe of `kind` with every default of the field table (required paths empty).
    public static func defaults(file: String, kind: Kind, description: String = "") -> Recipe {
        var recipe = Recipe(file: file, kind: kind, description: description, dataRoot: "", enhancement: .inverse, datasetZ: true,
                            crop: 0, jitter: true, dihedral: true, filters: 64, blocks: 9, discriminatorFilters: 64,
                            width: 64, teacherWeights: nil, initWeights: nil, learningRate: 1e-4, beta1: 0.5,
                            beta2: 0.999, epochs: 300, decayAfter: 200, adversarialWeight: 1, distillationWeight: 5,
                            cycleWeight: 80, correctionWeight: 20, smoothnessWeight: 10, registrationWidth: 64,
                            registrationDepth: 7, batch: 1, poolSize: 50, seed: 0, teacherCache: true,
                            checkpointEvery: 500, validateEvery: 500, panelEvery: 500, bestMetric: .psnr)
        for field in RecipeField.table { if let value = field.defaultValue { field.apply(&recipe, value) } }
        if kind == .studentPaired {
            // The paper code's DSD_P weights.
            recipe.distillationWeight = 2
            recipe.cycleWeight = 10
        }
        return recipe
    }
}
