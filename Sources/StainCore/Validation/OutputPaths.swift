import Foundation

/// Checks that a pipeline's outputs cannot destroy anything: no output is one of the run's input files (or the
/// pipeline file), no two outputs share a path, and no output is another output's provenance sidecar
/// (`OUTPUT.provenance.json`, written next to every output). Paths are compared after resolving `.`/`..`, symbolic
/// links and, for files that exist, hard links.
enum OutputPaths {
    /// A file parameter of one node.
    struct FileUse {
        let node: String
        let key: String
        let path: String
        let location: SourceLocation
    }

    static func check(inputs: [FileUse], outputs: [FileUse], pipelineFile: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let inputIdentities = inputs.map { ($0, FileIdentity($0.path)) }
        let pipeline = FileIdentity(pipelineFile)
        var seen: [(use: FileUse, identity: FileIdentity)] = []
        for output in outputs {
            let identity = FileIdentity(output.path)
            func fail(_ message: String) {
                diagnostics.append(Diagnostic(output.location, node: output.node, key: output.key, message))
            }
            if let input = inputIdentities.first(where: { $0.1 == identity })?.0 {
                fail("output '\(output.path)' is the input file of node '\(input.node)' (key '\(input.key)'); "
                     + "writing it would replace the input: choose another output path")
            } else if identity == pipeline {
                fail("output '\(output.path)' is the pipeline file itself; choose another output path")
            }
            if let other = seen.first(where: { $0.identity == identity }) {
                fail("output '\(output.path)' is also written by node '\(other.use.node)' (key '\(other.use.key)'); "
                     + "two outputs cannot share a path")
            }
            for other in seen {
                if identity.path == other.identity.path + ".provenance.json" {
                    fail("output '\(output.path)' is the provenance sidecar of node '\(other.use.node)''s output "
                         + "'\(other.use.path)'; choose another path")
                } else if other.identity.path == identity.path + ".provenance.json" {
                    diagnostics.append(Diagnostic(other.use.location, node: other.use.node, key: other.use.key,
                        "output '\(other.use.path)' is the provenance sidecar of node '\(output.node)''s output "
                        + "'\(output.path)'; choose another path"))
                }
            }
            seen.append((output, identity))
        }
        return diagnostics
    }
}

/// Where a path leads: the canonical absolute path (symbolic links of the existing part resolved), and the file's
/// device and inode when it exists (so hard links compare equal).
struct FileIdentity: Equatable {
    let path: String
    let inode: (device: UInt64, inode: UInt64)?

    init(_ path: String) {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while existing.path != "/" && !FileManager.default.fileExists(atPath: existing.path) {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var base = existing.path
        if let resolved = realpath(existing.path, nil) {
            base = String(cString: resolved)
            free(resolved)
        }
        self.path = rest.reduce(base) { ($0 as NSString).appendingPathComponent($1) }
        var info = stat()
        inode = rest.isEmpty && stat(self.path, &info) == 0 ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool {
        if let x = a.inode, let y = b.inode { return x.device == y.device && x.inode == y.inode }
        return a.path == b.path
    }
}
