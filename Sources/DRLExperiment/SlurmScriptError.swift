/// Why `SlurmScript` could not render the jobs of a sweep; each case prints as one line.
public enum SlurmScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--shards` was below 1.
    case shardCount(Int)
    /// `--cpus-per-task` was below 1.
    case cpusPerTask(Int)
    /// `--partition` is not a comma-separated list of partition names.
    case partition(String)
    /// `--time` is not in one of sbatch's time formats.
    case time(String)
    /// A path option is empty or cannot be written into the scripts.
    case path(option: String, String)
    /// The shard folder and the output folder are the same.
    case sameDirectory(String)
    /// `sbatch --parsable` printed no job id.
    case unparsableJobID(String)

    /// A one-line message naming the option and the bad value.
    public var description: String {
        switch self {
        case .shardCount(let n):
            return "--shards: \(n) is not a shard count (expected an integer >= 1)"
        case .cpusPerTask(let n):
            return "--cpus-per-task: \(n) is not a CPU count (expected an integer >= 1)"
        case .partition(let p):
            return "--partition: \"\(p)\" is not a partition name (letters, digits, _ . -, comma-separated)"
        case .time(let t):
            return "--time: \"\(t)\" is not a Slurm time limit (expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)"
        case .path(let option, let path):
            return "\(option): \"\(path)\" cannot be used in a Slurm script (empty, or holds a newline, whitespace, quote, backslash or %)"
        case .sameDirectory(let dir):
            return "--shard-dir: must differ from --out (\(dir))"
        case .unparsableJobID(let text):
            return "sbatch printed no job id: \"\(text)\""
        }
    }
}
