/// What `drlsim slurm` needs to render the array and merge jobs of one scenario's sweep.
///
/// Paths are used as given: callers that submit from another folder than the jobs run in
/// should pass absolute paths (the `drlsim slurm` command does). Slurm's option formats are
/// from sbatch(1) (`--time`, `--partition`, `--cpus-per-task`).
public struct SlurmOptions: Sendable, Equatable {
    /// The scenario file every shard runs.
    public var scenarioFile: String
    /// The number of shards, one array task each (`--array=0-(shards-1)`); at least 1.
    public var shards: Int
    /// The partition both jobs go to; `nil` leaves the cluster's default partition.
    public var partition: String?
    /// The time limit of each task and of the merge job in sbatch's format (`MM`, `MM:SS`,
    /// `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`, or `UNLIMITED`); `nil` leaves the default.
    public var time: String?
    /// CPUs per array task; the shard then runs with `--jobs` equal to it. `nil` leaves 1.
    public var cpusPerTask: Int?
    /// The folder the merged result set is written to.
    public var outDirectory: String
    /// The folder holding `shard-K/` result sets and `logs/`; `nil` means `<outDirectory>-shards`.
    public var shardDirectory: String?
    /// The `drlsim` executable the jobs run; it must be reachable from the compute nodes.
    public var drlsimPath: String
    /// Further arguments passed to every `drlsim run` (e.g. `--set key=value`, `--seed N`).
    public var runArguments: [String]

    /// Options for `shards` shards of `scenarioFile`, merged into `outDirectory`.
    public init(
        scenarioFile: String, shards: Int, partition: String? = nil, time: String? = nil,
        cpusPerTask: Int? = nil, outDirectory: String, shardDirectory: String? = nil,
        drlsimPath: String = "drlsim", runArguments: [String] = []
    ) {
        self.scenarioFile = scenarioFile
        self.shards = shards
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.outDirectory = outDirectory
        self.shardDirectory = shardDirectory
        self.drlsimPath = drlsimPath
        self.runArguments = runArguments
    }

    /// The folder of the shard result sets and logs, defaulted from `outDirectory`.
    public var resolvedShardDirectory: String {
        if let shardDirectory { return shardDirectory }
        var out = Substring(outDirectory)
        while out.count > 1, out.hasSuffix("/") { out = out.dropLast() }
        return out + "-shards"
    }

    /// Checks every option against what sbatch accepts and what the scripts can hold.
    /// - Throws: `SlurmScriptError` for the first bad option.
    public func validate() throws(SlurmScriptError) {
        guard shards >= 1 else { throw .shardCount(shards) }
        if let cpusPerTask, cpusPerTask < 1 { throw .cpusPerTask(cpusPerTask) }
        if let partition, !SlurmOptions.isPartitionList(partition) { throw .partition(partition) }
        if let time, !SlurmOptions.isTimeLimit(time) { throw .time(time) }
        for (option, path) in [("FILE", scenarioFile), ("--out", outDirectory), ("--drlsim", drlsimPath)] {
            guard !path.isEmpty, !path.contains(where: \.isNewline) else { throw .path(option: option, path) }
        }
        // The shard folder appears in `#SBATCH --output=...`, which holds no quoting and where
        // `%` starts a filename pattern (sbatch(1), "filename pattern").
        let shardDir = resolvedShardDirectory
        guard !shardDir.isEmpty,
              !shardDir.contains(where: { $0.isWhitespace || "%\"'\\".contains($0) })
        else { throw .path(option: "--shard-dir", shardDir) }
        guard shardDir != outDirectory else { throw .sameDirectory(outDirectory) }
    }

    /// Whether `text` is a comma-separated list of partition names.
    static func isPartitionList(_ text: String) -> Bool {
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
        return names.allSatisfy { name in
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        }
    }

    /// Whether `text` is a time limit in one of sbatch's `--time` formats.
    static func isTimeLimit(_ text: String) -> Bool {
        if ["INFINITE", "UNLIMITED"].contains(text.uppercased()) { return true }
        func numbers(_ part: Substring) -> [Substring]? {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            return fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) ? fields : nil
        }
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch dayParts.count {
        case 1:  // MM, MM:SS, HH:MM:SS
            guard let fields = numbers(dayParts[0]) else { return false }
            return (1...3).contains(fields.count)
        case 2:  // D-HH, D-HH:MM, D-HH:MM:SS
            guard let days = numbers(dayParts[0]), days.count == 1,
                  let fields = numbers(dayParts[1]) else { return false }
            return (1...3).contains(fields.count)
        default:
            return false
        }
    }
}
