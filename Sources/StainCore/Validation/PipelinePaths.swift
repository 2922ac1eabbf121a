/// Where a relative path in a pipeline leads (docs/pipeline-files.md, "Paths"). As in Docker Compose, a path written
/// in the pipeline file is relative to the file's folder, so `stain run /elsewhere/pipelines/p.yaml` finds the files
/// the pipeline names from any working folder; a path given with `--set` keeps the usual command-line meaning,
/// relative to the current folder.
public enum PipelinePaths {
    /// `path`, written relative to `folder`, as a path from the current folder. Absolute paths, and empty ones
    /// (which mean "none" for optional files), stay as they are; so does everything in a file named without a
    /// folder, whose folder is the current one. `.` and `..` are resolved by name, as Docker Compose does, so that
    /// messages and `wrote` lines say `out/x.png`, not `pipelines/../out/x.png`.
    public static func resolve(_ path: String, against folder: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), !folder.isEmpty else { return path }
        return normalized(folder + "/" + path)
    }

    /// `path` without `.` components, empty components, or `name/..` pairs. A relative path keeps the leading `..`
    /// that cannot be cancelled (`../x` stays), an absolute one drops them (`/..` is `/`).
    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".":
                continue
            case "..":
                if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(part) }
            default:
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
